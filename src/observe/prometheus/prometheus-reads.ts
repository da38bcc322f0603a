import type { PrometheusSection } from '../../config/sections/prometheus.ts';
import type { Action, Clock, MetricSeries, Rule } from '../../domain/index.ts';
import type { ReadTool } from '../read-tool.ts';
import { metricFacts, metricRange } from './metric-facts.ts';
import { metricsQuery } from './metrics-query-tool.ts';
import { createPrometheusClient, type PrometheusClient } from './prometheus-client.ts';

export interface PrometheusReadsOptions {
  readonly section: PrometheusSection;
  /** The token `bearerTokenEnv` names, already read from the environment by config/. */
  readonly token?: string;
  /** Used when the section names no cluster: kubernetes.defaultCluster. */
  readonly defaultCluster: string;
  readonly rules: readonly Rule[];
  readonly clock: Clock;
  readonly redact: (text: string) => string;
  readonly fetch?: typeof globalThis.fetch;
}

export interface PrometheusReads {
  readonly client: PrometheusClient;
  /** `metrics_query`, for the orienter's tool list. */
  readonly tool: ReadTool;
  /** Samples for the rules' `when.metric` conditions about this action, read now; never throws. */
  metrics(action: Action): Promise<MetricSeries[]>;
  /** One metric of the target over a span, for the incident's graph; never throws (a problem says why). */
  history(action: Action, metric: string, from: Date, to: Date): Promise<MetricSeries>;
}

/** About this many points across a graph's span: finer than its pixels would show is wasted. */
const GRAPH_POINTS = 480;

/** One Prometheus from the config section: the investigation tool and the policy's metric facts share it. */
export function createPrometheusReads(options: PrometheusReadsOptions): PrometheusReads {
  const { section, clock } = options;
  const cluster = section.cluster ?? options.defaultCluster;
  const client = createPrometheusClient({
    url: section.url,
    timeoutMs: section.timeout,
    ...(options.token ? { bearerToken: options.token } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    client,
    tool: metricsQuery({
      client,
      clock,
      cluster,
      redact: options.redact,
      limits: { maxSeries: section.maxSeries, maxPoints: section.maxPoints },
    }),
    metrics: (action) => metricFacts(client, options.rules, action, clock.now(), { cluster }),
    history: (action, metric, from, to) =>
      metricRange(client, metric, action, from, to, {
        cluster,
        stepMs: Math.max(15_000, Math.ceil((to.getTime() - from.getTime()) / GRAPH_POINTS / 1_000) * 1_000),
      }),
  };
}
