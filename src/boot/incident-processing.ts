import type { Config } from '../config/index.ts';
import type { SlackSection } from '../config/sections/slack.ts';
import type { Alert, Clock } from '../domain/index.ts';
import { createIncidentGraphs } from '../govern/incident-graphs.ts';
import { createIncidentPipeline, type PipelineDeps } from '../govern/incident-pipeline.ts';
import { createGraphProcess } from '../graph/graph-process.ts';
import { createCorrelator } from '../observe/correlate/index.ts';
import type { Orienter } from '../orient/index.ts';

export interface IncidentProcessingWiring
  extends Pick<PipelineDeps, 'store' | 'audit' | 'facts' | 'gate' | 'presenter'> {
  readonly config: Config;
  readonly slack: SlackSection;
  readonly clock: Clock;
  readonly defaultCluster: string;
  /** Prometheus's history, for the incident's graph; absent, the thread says why there is none. */
  readonly history?: Parameters<typeof createIncidentGraphs>[0]['history'];
  readonly orienter: Orienter;
  readonly reviewDryRun: NonNullable<PipelineDeps['reviewDryRun']>;
  /** Settles the outcomes an arriving alert resolves or reopens. */
  readonly observeOutcomes: (alerts: readonly Alert[]) => Promise<void>;
}

/**
 * What happens to alerts once they arrive: correlated into incidents, investigated, proposed and decided,
 * with the incident's graph drawn in a child process (the event loop stays free and the memory rasterising
 * takes is handed back), and every alert settling the outcomes it resolves or reopens.
 */
export function wireIncidentProcessing(options: IncidentProcessingWiring) {
  const { config, store, clock, presenter, orienter } = options;
  const correlation = config.intake.correlation;
  const correlator = createCorrelator({
    store,
    clock,
    defaultCluster: options.defaultCluster,
    staleAfterMs: correlation.staleAfter,
    stormWorkloads: correlation.stormWorkloads,
    stormPods: correlation.stormPods,
    stormAlerts: correlation.stormAlerts,
    stormWindowMs: correlation.stormWindow,
  });
  const graphRenderer = createGraphProcess();
  const graphs = createIncidentGraphs({
    ...(options.history ? { history: options.history } : {}),
    render: (spec) => graphRenderer.render(spec),
    post: async (incidentId, file) => presenter.graph?.(incidentId, file),
    line: (incidentId, text) => presenter.line(incidentId, text),
  });
  const investigated = createIncidentPipeline({
    policy: config,
    store,
    audit: options.audit,
    correlate: (alerts) => correlator.ingest(alerts),
    orient: (input) => orienter.orient(input),
    answer: (input) => orienter.answerQuestion(input),
    facts: options.facts,
    gate: options.gate,
    reviewDryRun: options.reviewDryRun,
    presenter,
    clock,
    autoRevertOnFailedVerification: config.autoRevertOnFailedVerification,
    dryRunLines: options.slack.dryRunLines,
    investigationConcurrency: correlation.investigationConcurrency,
    stormInvestigations: correlation.stormInvestigations,
    graphs,
  });
  const pipeline: typeof investigated = {
    ...investigated,
    handleAlerts: async (alerts) => {
      await investigated.handleAlerts(alerts);
      await options.observeOutcomes(alerts);
    },
  };
  return { pipeline, graphRenderer };
}
