import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createExecutor, executorSettingsFrom } from '../../src/act/index.ts';
import { resolveInstant } from '../../src/cli/simulate-scenario.ts';
import { composeFacts } from '../../src/compose/index.ts';
import type { Config } from '../../src/config/index.ts';
import {
  describeAction,
  type Incident,
  type Proposal,
  redact,
  type Verdict,
} from '../../src/domain/index.ts';
import { createExecutionGate } from '../../src/govern/execution-gate.ts';
import { createIncidentPipeline } from '../../src/govern/incident-pipeline.ts';
import type { Orientation } from '../../src/govern/incident-presenter.ts';
import { createAuditLog, createStateStore } from '../../src/govern/store/index.ts';
import { createCorrelator } from '../../src/observe/correlate/index.ts';
import { parseAlertmanagerWebhook } from '../../src/observe/intake/index.ts';
import { createKubernetesReadTools } from '../../src/observe/kubernetes/index.ts';
import { createOrienter, type ModelPort, type OrientResult, type Prompts } from '../../src/orient/index.ts';
import { fakeClock } from '../../test/fakes/fake-clock.ts';
import { RESOURCES, type Resource } from '../../test/fakes/kube-api-objects.ts';
import { FakeKubeApi } from '../../test/fakes/kube-api-server.ts';
import { startFakePrometheus } from '../../test/fakes/prometheus-server.ts';
import { clusterObjects, metricSeries } from './cluster-objects.ts';
import { judge, type Shown } from './judge.ts';
import type { LoadedScenario } from './scenario.ts';

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly safetyCritical: boolean;
  readonly pass: boolean;
  readonly failures: readonly string[];
  /** What Belay put in front of people, one line per incident. */
  readonly proposal: string;
  readonly modelCalls: number;
  readonly toolCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Prompt tokens of each investigation (one per incident the alerts opened). */
  readonly promptTokensPerIncident: readonly number[];
  /** False when the endpoint sent no usage and the tokens are estimates. */
  readonly usageReported: boolean;
  readonly latencyMs: number;
}

export interface RunOptions {
  readonly policy: Config;
  readonly prompts: Prompts;
  /** A fresh model port per scenario (its own daily budget); absent: the deterministic orienter. */
  readonly model?: () => ModelPort;
}

/**
 * One scenario through Belay's real path: the alerts as Alertmanager sends them, intake parsing,
 * correlation, facts gathered from a fake Kubernetes API and Prometheus by the real observe code, the real
 * orienter (model or rules) and policy, the pipeline that turns them into proposals. Only Slack is absent:
 * a recording presenter keeps what would have been shown.
 */
export async function runScenario(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const { policy } = options;
  const now = new Date(scenario.at);
  const clock = fakeClock(scenario.at);
  const time = (t: string) => resolveInstant(t, now) ?? scenario.at;
  const dir = await mkdtemp(join(tmpdir(), 'belay-eval-'));
  const kube = await FakeKubeApi.start({ clock });
  const prom = await startFakePrometheus();
  try {
    for (const obj of clusterObjects(scenario)) kube.store.put(resourceOf(obj.kind), obj);
    for (const l of scenario.cluster.logs) kube.setLog(l.namespace, l.pod, l.container, l.text, l.previous);
    prom.series.push(...metricSeries(scenario));

    const store = await createStateStore({ dir, clock });
    const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
    const { freeze, pause, ledger } = scenario.state;
    if (freeze) await store.setFreeze({ active: true, ...freeze, since: time('-1h') });
    if (pause) await store.setPause({ active: true, ...pause, since: time('-1h') });
    for (const [i, e] of ledger.entries())
      await store.reserve(
        { ...e, at: time(e.at), cluster: 'default', proposalId: `earlier-${i}` },
        () => true,
      );

    // Facts are gathered exactly as the running bot gathers them, with Prometheus at the fake's address.
    const { clusters, prometheus, facts } = composeFacts({
      config: policy.prometheus ? { ...policy, prometheus: { ...policy.prometheus, url: prom.url } } : policy,
      clock,
      state: store,
      kubeConfigLoader: () => kube.kubeConfig(),
    });
    const executor = createExecutor({
      writerFor: clusters.writerFor,
      ...executorSettingsFrom(policy.kubernetes, policy, clock, (ms) => clock.sleep(ms)),
    });
    const gate = createExecutionGate({ policy, store, audit, facts, executor, clock });
    const orienter = createOrienter({
      tools: [
        ...createKubernetesReadTools({ readerFor: clusters.readerFor, clock, redact }),
        ...(prometheus ? [prometheus.tool] : []),
      ],
      prompts: options.prompts,
      clock,
      ...(options.model ? { model: options.model() } : {}),
    });
    const orientations: OrientResult[] = [];
    const shown: Shown[] = [];
    const views = new Map<string, Orientation>();
    const pipeline = createIncidentPipeline({
      policy,
      store,
      audit,
      correlate: (alerts) => correlator.ingest(alerts),
      orient: async (input) => {
        const result = await orienter.orient(input);
        orientations.push(result);
        return result;
      },
      answer: (input) => orienter.answerQuestion(input),
      facts,
      gate,
      presenter: {
        async show(incident: Incident, orientation: Orientation, proposal?: Proposal, verdict?: Verdict) {
          views.set(incident.id, orientation);
          shown.push({
            incident,
            orientation,
            ...(proposal ? { proposal } : {}),
            ...(verdict ? { verdict } : {}),
          });
        },
        async proposalChanged() {},
        async line() {},
        async announce() {},
        orientationOf: async (id) => views.get(id) ?? { summary: '', evidence: [], untrustedQuotes: [] },
      },
      clock,
      autoRevertOnFailedVerification: false,
      dryRunLines: false,
    });
    const correlator = createCorrelator({
      store,
      clock,
      defaultCluster: clusters.defaultCluster,
      staleAfterMs: policy.intake.correlation.staleAfter,
      stormWorkloads: policy.intake.correlation.stormWorkloads,
      stormWindowMs: policy.intake.correlation.stormWindow,
    });

    const parsed = parseAlertmanagerWebhook(webhook(scenario.alerts, time), now);
    if (!parsed.ok)
      throw new Error(`${loaded.id}: the alerts are not a valid Alertmanager webhook: ${parsed.error}`);
    const started = performance.now();
    await pipeline.handleAlerts(parsed.value);
    const latencyMs = performance.now() - started;

    const said = JSON.stringify({ shown, audit: await audit.read({}) });
    const failures = judge(scenario.expect, shown, said);
    // Evaluating a model: an answer Belay's rules gave in its place is not the model's to count.
    if (options.model)
      for (const o of orientations)
        if (o.origin.type === 'deterministic')
          failures.push(
            `the model gave no usable answer (${o.origin.fallbackReason}); Belay's rules answered`,
          );
    const spend = orientations.map((o) => o.spend);
    const sum = (f: (s: OrientResult['spend']) => number) => spend.reduce((n, s) => n + f(s), 0);
    return {
      id: loaded.id,
      title: scenario.title,
      safetyCritical: scenario.safetyCritical,
      pass: failures.length === 0,
      failures,
      proposal: shown.length === 0 ? 'no incident opened' : summariseShown(shown),
      modelCalls: sum((s) => s.modelCalls),
      toolCalls: sum((s) => s.toolCalls),
      promptTokens: sum((s) => s.promptTokens),
      completionTokens: sum((s) => s.completionTokens),
      promptTokensPerIncident: spend.map((s) => s.promptTokens),
      usageReported: spend.every((s) => s.usageReported),
      latencyMs,
    };
  } finally {
    await kube.close();
    await prom.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function resourceOf(kind: string): Resource {
  const found = Object.entries(RESOURCES).find(([, r]) => r.kind === kind);
  if (!found)
    throw new Error(
      `the fake Kubernetes API holds no ${kind}; use one of ${Object.values(RESOURCES)
        .map((r) => r.kind)
        .join(', ')}`,
    );
  return found[0] as Resource;
}

/** The scenario's alerts as one Alertmanager webhook (version 4) delivery. */
function webhook(alerts: LoadedScenario['scenario']['alerts'], time: (t: string) => string) {
  return {
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'belay',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a, i) => ({
      status: a.status,
      labels: { alertname: a.name, ...a.labels },
      annotations: a.annotations,
      startsAt: time(a.startsAt),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `eval${i.toString(16).padStart(12, '0')}`,
    })),
  };
}

/** One line per distinct card, counted: a storm's twelve identical cards read as one line. */
function summariseShown(shown: readonly Shown[]): string {
  const counts = new Map<string, number>();
  for (const s of shown) counts.set(describeShown(s), (counts.get(describeShown(s)) ?? 0) + 1);
  return [...counts].map(([text, n]) => (n > 1 ? `${n}× ${text}` : text)).join(' / ');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describeShown(s: Shown): string {
  if (s.proposal && s.verdict) return `${describeAction(s.proposal.action)} → ${s.verdict.disposition}`;
  if (s.verdict) return `${s.verdict.disposition}: ${clip(s.verdict.headline, 70)}`;
  if (s.orientation.needsHuman) return `needs a human: ${clip(s.orientation.needsHuman, 70)}`;
  return 'nothing proposed';
}
