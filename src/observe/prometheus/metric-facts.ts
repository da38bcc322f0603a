import type { Action, MetricSeries, Rule } from '../../domain/index.ts';
import type { PrometheusClient } from './prometheus-client.ts';
import { sampleValue } from './prometheus-response.ts';
import { type LabelMatcher, seriesSelector } from './promql-selector.ts';

export interface MetricFactsOptions {
  /** The cluster this Prometheus watches; a target elsewhere gets no samples, never another cluster's. */
  readonly cluster: string;
  /** Resolution of the samples the policy judges; default 15 s (a common scrape interval). */
  readonly stepMs?: number;
  /** Series one metric may return (containers of a pod); more means the selector is wrong. Default 50. */
  readonly maxSeries?: number;
}

/** metricSeriesSchema holds at most 10,000 samples. */
const MAX_SAMPLES = 10_000;

/**
 * The samples the policy needs to judge `when.metric` for this action: for each metric a rule proposing
 * this kind of action watches, a range query over its `for` period plus one step, scoped to the target,
 * reduced to the highest value across containers at each instant. A metric that cannot be read comes
 * back with no samples and the reason, so its condition reads "no samples (…)" and the rule does not
 * apply: an unreadable Prometheus never makes a rule fire.
 */
export async function metricFacts(
  client: PrometheusClient,
  rules: readonly Rule[],
  action: Action,
  now: Date,
  options: MetricFactsOptions,
): Promise<MetricSeries[]> {
  const wanted = new Map<string, number>();
  for (const rule of rules) {
    const metric = rule.when.metric;
    if (rule.action !== action.kind || !metric) continue;
    wanted.set(metric.name, Math.max(wanted.get(metric.name) ?? 0, metric.for));
  }
  const stepMs = Math.max(1_000, options.stepMs ?? 15_000);
  return Promise.all(
    [...wanted].map(([name, forMs]) => oneMetric(client, name, forMs, action, now, { ...options, stepMs })),
  );
}

async function oneMetric(
  client: PrometheusClient,
  name: string,
  forMs: number,
  action: Action,
  now: Date,
  options: MetricFactsOptions & { stepMs: number },
): Promise<MetricSeries> {
  const spanMs = forMs + options.stepMs;
  return metricRange(client, name, action, new Date(now.getTime() - spanMs), now, options);
}

/**
 * One metric of an action's target between two instants, scoped as `metricScope` says and reduced to the
 * highest value across containers at each instant; never throws. `stepMs` is the finest resolution: a long
 * span gets coarser steps so the series stays within what the facts may hold. Shared by the policy's metric
 * facts and the incident's graph.
 */
export async function metricRange(
  client: PrometheusClient,
  name: string,
  action: Action,
  start: Date,
  end: Date,
  options: MetricFactsOptions & { stepMs: number },
): Promise<MetricSeries> {
  const none = (problem: string): MetricSeries => ({ name, samples: [], problem: problem.slice(0, 500) });
  if (action.target.cluster !== options.cluster)
    return none(`Belay's Prometheus watches cluster ${options.cluster}, not ${action.target.cluster}`);
  const scope = metricScope(name, action);
  if (!scope.ok) return none(scope.reason);
  const selector = seriesSelector(name, scope.matchers);
  if (!selector.ok) return none(selector.reason);
  const spanMs = end.getTime() - start.getTime();
  // Coarser steps for long periods keep the series within what the facts may hold.
  const stepMs = Math.max(options.stepMs, Math.ceil(spanMs / (MAX_SAMPLES - 1) / 1_000) * 1_000);
  let answer: Awaited<ReturnType<PrometheusClient['range']>>;
  try {
    answer = await client.range(selector.selector, { start, end, stepSeconds: stepMs / 1_000 });
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!answer.ok) return none(answer.error);
  if (answer.data.resultType !== 'matrix')
    return none(`Prometheus answered a ${answer.data.resultType}, not a range of samples`);
  const series = answer.data.result;
  if (series.length > (options.maxSeries ?? 50))
    return none(`${series.length} series matched ${selector.selector}; expected one per container`);
  // The highest value across the pod's containers at each instant: the rule is about the pod.
  const highest = new Map<number, number>();
  for (const s of series) {
    for (const [t, text] of s.values) {
      const value = sampleValue(text);
      if (!Number.isFinite(value)) continue;
      highest.set(t, Math.max(highest.get(t) ?? Number.NEGATIVE_INFINITY, value));
    }
  }
  const samples = [...highest]
    .sort(([a], [b]) => a - b)
    .slice(-MAX_SAMPLES)
    .map(([t, value]) => ({ at: new Date(Math.round(t * 1_000)).toISOString(), value }));
  return samples.length > 0 ? { name, samples } : none(`Prometheus has no samples of ${selector.selector}`);
}

const WORKLOAD_LABEL = { Deployment: 'deployment', StatefulSet: 'statefulset' } as const;

/**
 * The label matchers that scope a metric to an action's target, explicitly: `namespace` always; `pod` for
 * a pod (plus `container!=""` and `container!="POD"` for cAdvisor's `container_*` series, whose
 * container-less and pause-container series would otherwise count the pod twice); the workload's own
 * label for kube-state-metrics' `kube_deployment_*`-style series. Anything else cannot be scoped safely.
 */
export function metricScope(
  metric: string,
  action: Action,
):
  | { readonly ok: true; readonly matchers: LabelMatcher[] }
  | { readonly ok: false; readonly reason: string } {
  const namespace: LabelMatcher = { label: 'namespace', op: '=', value: action.target.namespace };
  if (action.kind === 'restart-pod') {
    const matchers: LabelMatcher[] = [namespace, { label: 'pod', op: '=', value: action.target.pod }];
    if (metric.startsWith('container_'))
      matchers.push(
        { label: 'container', op: '!=', value: '' },
        { label: 'container', op: '!=', value: 'POD' },
      );
    return { ok: true, matchers };
  }
  if (action.kind === 'patch-configmap')
    return { ok: false, reason: `${metric} cannot be scoped to a ConfigMap` };
  const kind = action.kind === 'rollback-deployment' ? 'Deployment' : action.target.workloadKind;
  const label = WORKLOAD_LABEL[kind];
  if (metric.startsWith(`kube_${label}_`))
    return { ok: true, matchers: [namespace, { label, op: '=', value: action.target.name }] };
  return {
    ok: false,
    reason: `${metric} is not a kube_${label}_* series, so Belay cannot scope it to ${kind} ${action.target.name}`,
  };
}
