import type { RecurringPattern } from '../../domain/index.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { sampleValue } from '../prometheus/prometheus-response.ts';
import { promqlString } from '../prometheus/promql-selector.ts';
import type { Sample } from './elevated-episodes.ts';
import {
  type CronJobRuns,
  findRecurringPatterns,
  type PatternSeries,
  type PatternTuning,
} from './find-recurring-patterns.ts';

// The history the detector reads, from Prometheus: per pod its memory, CPU and restarts (cAdvisor and
// kube-state-metrics names), the runs of each CronJob's Jobs, and each pod's top-level workload.

export interface PatternScope {
  /** Only these namespaces; all of them when absent. */
  readonly namespaces?: readonly string[];
  /** Labels the patterns' targets with this cluster. */
  readonly cluster?: string;
}

export interface PatternPeriod {
  readonly sinceMs: number;
  readonly untilMs: number;
  /** Resolution; default 5 min, coarser when the period would pass Prometheus's 11,000 points a series. */
  readonly stepMs?: number;
  readonly timeZone?: string;
  readonly tuning?: Partial<PatternTuning>;
  readonly signal?: AbortSignal;
}

export type PatternReading =
  | { readonly ok: true; readonly patterns: RecurringPattern[]; readonly seriesExamined: number }
  | { readonly ok: false; readonly error: string };

const PROMETHEUS_MAX_POINTS = 11_000;

/** The queries, one per signal: each answers one series per pod. `$W` is the step, `$NS` the scope. */
const SIGNALS = {
  memory:
    'sum by (namespace, pod) (max_over_time(container_memory_working_set_bytes{container!="",container!="POD"$NS}[$W]))',
  cpu: 'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",container!="POD"$NS}[$W]))',
  restarts: 'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{$NS0}[$W]))',
} as const;
const JOBS =
  'max by (namespace, owner_name) (kube_job_status_active{$NS0} * on (namespace, job_name) group_left (owner_name) kube_job_owner{owner_kind="CronJob"$NS})';
const POD_OWNERS = 'kube_pod_owner{owner_is_controller="true"$NS}';
const REPLICASET_OWNERS = 'kube_replicaset_owner{owner_is_controller="true"$NS}';

/** Reads the period's history from Prometheus and finds its recurring patterns; never throws. */
export async function readRecurringPatterns(
  client: PrometheusClient,
  scope: PatternScope,
  period: PatternPeriod,
): Promise<PatternReading> {
  const spanMs = period.untilMs - period.sinceMs;
  if (!(spanMs > 0)) return { ok: false, error: 'the period to search ends before it starts' };
  const stepMs = Math.max(
    period.stepMs ?? 300_000,
    Math.ceil(spanMs / (PROMETHEUS_MAX_POINTS - 1) / 60_000) * 60_000,
  );
  const ns = scope.namespaces?.length
    ? `namespace=~${promqlString(scope.namespaces.map(escapeRegex).join('|'))}`
    : '';
  const fill = (query: string) =>
    query
      .replaceAll('$W', `${Math.max(stepMs, 120_000) / 1000}s`)
      .replaceAll('$NS0', ns)
      .replaceAll('$NS', ns ? `,${ns}` : '');
  // Evaluated on whole steps (02:00, 02:05…), so a rise that starts on the hour is bounded by the hour.
  const range = {
    start: new Date(Math.ceil(period.sinceMs / stepMs) * stepMs),
    end: new Date(period.untilMs),
    stepSeconds: stepMs / 1000,
    ...(period.signal ? { signal: period.signal } : {}),
  };
  const at = { time: new Date(period.untilMs), ...(period.signal ? { signal: period.signal } : {}) };
  const [answers, jobs, pods, replicaSets] = await Promise.all([
    Promise.all(Object.values(SIGNALS).map((q) => client.range(fill(q), range))),
    client.range(fill(JOBS), range),
    client.instant(fill(POD_OWNERS), at),
    client.instant(fill(REPLICASET_OWNERS), at),
  ]);
  const failed = [...answers, jobs, pods, replicaSets].find((a) => !a.ok);
  if (failed && !failed.ok) return { ok: false, error: failed.error };
  const owners = workloadsOf(rows(pods), rows(replicaSets));
  const signals = Object.keys(SIGNALS);
  const series: PatternSeries[] = answers.flatMap((answer, i) =>
    rangeRows(answer).map((row) => {
      const workload = owners.get(`${row.metric.namespace}/${row.metric.pod}`);
      const labels = { ...row.metric, ...(scope.cluster ? { cluster: scope.cluster } : {}) };
      return {
        labels,
        signal: signals[i] ?? 'value',
        samples: row.samples,
        ...(workload ? { workload } : {}),
      };
    }),
  );
  const runs: CronJobRuns[] = rangeRows(jobs).map((row) => ({
    cronjob: { namespace: row.metric.namespace ?? '', name: row.metric.owner_name ?? '' },
    runs: activeStretches(row.samples, stepMs),
  }));
  const patterns = findRecurringPatterns({
    series,
    jobs: runs,
    sinceMs: period.sinceMs,
    untilMs: period.untilMs,
    ...(period.timeZone ? { timeZone: period.timeZone } : {}),
    ...(period.tuning ? { tuning: period.tuning } : {}),
  });
  return { ok: true, patterns, seriesExamined: series.length };
}

type Answer = Awaited<ReturnType<PrometheusClient['range']>>;
type Row = { metric: Record<string, string>; samples: Sample[] };

function rangeRows(answer: Answer): Row[] {
  if (!answer.ok || answer.data.resultType !== 'matrix') return [];
  return answer.data.result.map((r) => ({
    metric: r.metric,
    samples: r.values.map(([t, v]): Sample => [Math.round(t * 1000), sampleValue(v)]),
  }));
}

function rows(answer: Answer): Record<string, string>[] {
  if (!answer.ok || answer.data.resultType !== 'vector') return [];
  return answer.data.result.map((r) => r.metric);
}

/** A pod's top-level workload: a ReplicaSet resolves to its Deployment when kube-state-metrics says so. */
function workloadsOf(
  pods: readonly Record<string, string>[],
  replicaSets: readonly Record<string, string>[],
): Map<string, { kind: string; name: string }> {
  const deployments = new Map(
    replicaSets
      .filter((r) => r.owner_kind === 'Deployment' && r.replicaset && r.owner_name)
      .map((r) => [`${r.namespace}/${r.replicaset}`, r.owner_name ?? '']),
  );
  const owners = new Map<string, { kind: string; name: string }>();
  for (const p of pods) {
    if (!p.namespace || !p.pod || !p.owner_kind || !p.owner_name) continue;
    const deployment =
      p.owner_kind === 'ReplicaSet' ? deployments.get(`${p.namespace}/${p.owner_name}`) : undefined;
    owners.set(
      `${p.namespace}/${p.pod}`,
      deployment ? { kind: 'Deployment', name: deployment } : { kind: p.owner_kind, name: p.owner_name },
    );
  }
  return owners;
}

/** Runs of a CronJob from its active-Job samples: each stretch of samples ≥ 1, to one step past the last. */
function activeStretches(samples: readonly Sample[], stepMs: number): { startMs: number; endMs: number }[] {
  const runs: { startMs: number; endMs: number }[] = [];
  let open: { startMs: number; endMs: number } | undefined;
  for (const [ms, value] of samples) {
    if (value >= 1) {
      if (open && ms - open.endMs <= stepMs) open.endMs = ms;
      else {
        if (open) runs.push({ startMs: open.startMs, endMs: open.endMs + stepMs });
        open = { startMs: ms - stepMs, endMs: ms };
      }
    }
  }
  if (open) runs.push({ startMs: open.startMs, endMs: open.endMs + stepMs });
  return runs;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
