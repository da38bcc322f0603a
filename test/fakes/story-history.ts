// Two weeks of a small cluster's metrics, shaped like the night Belay exists for, as kube-state-metrics,
// cAdvisor and Prometheus's own ALERTS series would record them:
// - databases/postgres-0 (StatefulSet postgres): ~2 GB, and every night from 02:00 its memory ramps to
//   ~6.2 GB (about 3×) while CronJob postgres-backup runs, then falls back by ~02:42. PodMemoryHigh
//   (above 5 GB for 60 s) fires each night at ~02:07.
// - shop/web-…: steady memory; CPU that follows business hours on weekdays (09:00–18:00 UTC). A daily
//   rise that is load, not maintenance.
// - shop/api-…: a slow leak, OOM-killed and restarted every ~4 days, at no fixed time of day.
// - batch/worker-0..3: noise.
import { type HistorySeries, noiseAt, type SamplingSpan } from './openmetrics-history.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GB = 1e9;

export interface BackupRun {
  readonly job: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface StoryHistory {
  readonly key: string;
  readonly series: HistorySeries[];
  readonly span: SamplingSpan;
  /** The backup Jobs in the span, for tests to compare what they find with what happened. */
  readonly backups: BackupRun[];
  /** When PodMemoryHigh fired for postgres-0 each night. */
  readonly memoryAlerts: { startMs: number; endMs: number }[];
}

export interface StoryHistoryOptions {
  /** The end of the history (ms), rounded down to the minute. Default: now. */
  readonly endMs?: number;
  readonly days?: number;
  /** Sample step; default 60 s. */
  readonly stepMs?: number;
  /**
   * That many more pods in namespace `crowd`, one memory series each, for benchmarks over many series:
   * every tenth rises for half an hour at its own hour each night (a cron-like pattern), every tenth but
   * one follows business hours, the rest are noise.
   */
  readonly crowd?: number;
}

/** The story's history ending at `endMs` (default now). */
export function storyHistory(options: StoryHistoryOptions = {}): StoryHistory {
  const stepMs = options.stepMs ?? MINUTE;
  const endMs = Math.floor((options.endMs ?? Date.now()) / MINUTE) * MINUTE;
  const days = options.days ?? 14;
  const startMs = endMs - days * DAY;
  const backups = backupRuns(startMs, endMs);
  const memory = (t: number) => postgresMemory(t, backups);
  const series: HistorySeries[] = [
    ...postgresSeries(memory, backups),
    ...webSeries(startMs),
    ...leakySeries(startMs),
    ...noiseSeries(),
    ...crowdSeries(options.crowd ?? 0),
  ];
  return {
    key: `story-${days}d-${stepMs / 1000}s-${endMs / MINUTE}${options.crowd ? `-crowd${options.crowd}` : ''}`,
    series,
    span: { startMs, endMs, stepMs },
    backups,
    memoryAlerts: firingSpans(memory, startMs, endMs, stepMs),
  };
}

// Each night's backup starts at 02:00 and takes 36–41 min, varying by day like real dumps do.
function backupRuns(startMs: number, endMs: number): BackupRun[] {
  const runs: BackupRun[] = [];
  for (let day = Math.floor(startMs / DAY) * DAY; day < endMs; day += DAY) {
    const start = day + 2 * HOUR;
    if (start < startMs || start > endMs) continue;
    const minutes = 36 + Math.round((noiseAt(7, day) + 1) * 2.5);
    // The controller names a CronJob's Job after its scheduled time in minutes.
    runs.push({ job: `postgres-backup-${start / MINUTE}`, startMs: start, endMs: start + minutes * MINUTE });
  }
  return runs;
}

function postgresMemory(t: number, backups: readonly BackupRun[]): number {
  const base = 2 * GB + noiseAt(11, t) * 0.05 * GB;
  const run = backups.find((b) => t >= b.startMs && t < b.endMs + 6 * MINUTE);
  if (!run) return base;
  const since = t - run.startMs;
  const peak = 6.2 * GB + noiseAt(13, t) * 0.08 * GB;
  if (since < 8 * MINUTE) return base + (peak - base) * (since / (8 * MINUTE)); // loading
  if (t < run.endMs) return peak; // dumping
  return peak - (peak - base) * ((t - run.endMs) / (6 * MINUTE)); // released
}

const POSTGRES = { namespace: 'databases', pod: 'postgres-0' };

function postgresSeries(memory: (t: number) => number, backups: readonly BackupRun[]): HistorySeries[] {
  const always = () => 1;
  const runAt = (t: number) => backups.find((b) => t >= b.startMs && t < b.endMs);
  const firing = firingAt(memory);
  const jobs = backups.flatMap((run): HistorySeries[] => {
    // kube-state-metrics reports a finished Job until it is cleaned up (here: a day later).
    const exists = (t: number) => t >= run.startMs && t < run.startMs + DAY;
    const labels = { namespace: 'databases', job_name: run.job };
    return [
      gauge('kube_job_status_active', labels, (t) => (exists(t) ? (t < run.endMs ? 1 : 0) : undefined)),
      gauge('kube_job_status_start_time', labels, (t) => (exists(t) ? run.startMs / 1000 : undefined)),
      gauge('kube_job_status_completion_time', labels, (t) =>
        exists(t) && t >= run.endMs ? run.endMs / 1000 : undefined,
      ),
      gauge(
        'kube_job_owner',
        { ...labels, owner_kind: 'CronJob', owner_name: 'postgres-backup', owner_is_controller: 'true' },
        (t) => (exists(t) ? 1 : undefined),
      ),
    ];
  });
  return [
    gauge('container_memory_working_set_bytes', { ...POSTGRES, container: 'postgres' }, memory),
    gauge(
      'kube_pod_container_resource_limits',
      { ...POSTGRES, container: 'postgres', resource: 'memory', unit: 'byte' },
      () => 8 * GB,
    ),
    gauge(
      'kube_pod_owner',
      { ...POSTGRES, owner_kind: 'StatefulSet', owner_name: 'postgres', owner_is_controller: 'true' },
      always,
    ),
    counter('kube_pod_container_status_restarts', { ...POSTGRES, container: 'postgres' }, () => 0),
    gauge(
      'kube_cronjob_info',
      {
        namespace: 'databases',
        cronjob: 'postgres-backup',
        schedule: '0 2 * * *',
        concurrency_policy: 'Forbid',
      },
      always,
    ),
    gauge('kube_cronjob_status_active', { namespace: 'databases', cronjob: 'postgres-backup' }, (t) =>
      runAt(t) ? 1 : 0,
    ),
    ...jobs,
    gauge(
      'ALERTS',
      {
        alertname: 'PodMemoryHigh',
        alertstate: 'firing',
        ...POSTGRES,
        container: 'postgres',
        statefulset: 'postgres',
        severity: 'critical',
      },
      (t) => (firing(t) ? 1 : undefined),
    ),
  ];
}

// Prometheus's rule: container_memory_working_set_bytes > 5e9 for 1m.
function firingAt(memory: (t: number) => number): (t: number) => boolean {
  return (t) => memory(t) > 5 * GB && memory(t - MINUTE) > 5 * GB;
}

function firingSpans(memory: (t: number) => number, startMs: number, endMs: number, stepMs: number) {
  const firing = firingAt(memory);
  const spans: { startMs: number; endMs: number }[] = [];
  let open: number | undefined;
  for (let t = startMs; t <= endMs; t += stepMs) {
    if (firing(t) && open === undefined) open = t;
    if (!firing(t) && open !== undefined) {
      spans.push({ startMs: open, endMs: t });
      open = undefined;
    }
  }
  if (open !== undefined) spans.push({ startMs: open, endMs });
  return spans;
}

const WEB = { namespace: 'shop', pod: 'web-7d9f8c6b5-x2k4p' };

// Business hours: a smooth rise from 08:00, a plateau 10:00–17:00, down by 19:00, weekdays only.
function businessLoad(t: number): number {
  const weekday = new Date(t).getUTCDay();
  if (weekday === 0 || weekday === 6) return 0;
  const hour = (t % DAY) / HOUR;
  if (hour < 8 || hour >= 19) return 0;
  if (hour < 10) return (1 - Math.cos(((hour - 8) / 2) * Math.PI)) / 2;
  if (hour < 17) return 1;
  return (1 + Math.cos(((hour - 17) / 2) * Math.PI)) / 2;
}

function webSeries(startMs: number): HistorySeries[] {
  // CPU seconds used so far: the integral of 0.2 cores plus up to 1.6 cores of business load, per minute,
  // carried forward between calls (samples come in time order) and started afresh when time goes back.
  let cpuUpTo = startMs;
  let cpuTotal = 0;
  const cpu = (t: number) => {
    if (t < cpuUpTo) {
      cpuUpTo = startMs;
      cpuTotal = 0;
    }
    for (; cpuUpTo < t; cpuUpTo += MINUTE)
      cpuTotal += (0.2 + 1.6 * businessLoad(cpuUpTo)) * 60 * (1 + 0.05 * noiseAt(17, cpuUpTo));
    return Math.round(cpuTotal * 1000) / 1000;
  };
  return [
    gauge(
      'container_memory_working_set_bytes',
      { ...WEB, container: 'web' },
      (t) => 0.45 * GB + noiseAt(19, t) * 0.02 * GB,
    ),
    counter('container_cpu_usage_seconds', { ...WEB, container: 'web' }, cpu),
    gauge(
      'kube_pod_owner',
      { ...WEB, owner_kind: 'ReplicaSet', owner_name: 'web-7d9f8c6b5', owner_is_controller: 'true' },
      () => 1,
    ),
    counter('kube_pod_container_status_restarts', { ...WEB, container: 'web' }, () => 0),
  ];
}

const API = { namespace: 'shop', pod: 'api-6c8b9d4f7-q8w2e' };

// 0.5 GB after each start, +10 MB an hour, OOM-killed near its 1.5 GB limit every 100 h.
function leakySeries(startMs: number): HistorySeries[] {
  const lifetime = 100 * HOUR;
  const offset = 37 * HOUR; // the first OOM is not at a round hour
  const age = (t: number) => (t - startMs + offset) % lifetime;
  const restarts = (t: number) => Math.floor((t - startMs + offset) / lifetime);
  return [
    gauge(
      'container_memory_working_set_bytes',
      { ...API, container: 'api' },
      (t) => 0.5 * GB + (age(t) / HOUR) * 0.01 * GB,
    ),
    gauge(
      'kube_pod_container_resource_limits',
      { ...API, container: 'api', resource: 'memory', unit: 'byte' },
      () => 1.5 * GB,
    ),
    counter('kube_pod_container_status_restarts', { ...API, container: 'api' }, restarts),
    gauge(
      'kube_pod_owner',
      { ...API, owner_kind: 'ReplicaSet', owner_name: 'api-6c8b9d4f7', owner_is_controller: 'true' },
      () => 1,
    ),
  ];
}

function noiseSeries(): HistorySeries[] {
  return [0, 1, 2, 3].flatMap((i) => {
    const pod = { namespace: 'batch', pod: `worker-${i}` };
    return [
      gauge(
        'container_memory_working_set_bytes',
        { ...pod, container: 'worker' },
        (t) => (0.8 + 0.3 * noiseAt(23 + i, t)) * GB,
      ),
      gauge(
        'kube_pod_owner',
        { ...pod, owner_kind: 'StatefulSet', owner_name: 'worker', owner_is_controller: 'true' },
        () => 1,
      ),
    ];
  });
}

function gauge(
  name: string,
  labels: Record<string, string>,
  valueAt: (t: number) => number | undefined,
): HistorySeries {
  return { name, type: 'gauge', help: `${name} (story history)`, labels, valueAt };
}

function counter(
  name: string,
  labels: Record<string, string>,
  valueAt: (t: number) => number,
): HistorySeries {
  return { name, type: 'counter', help: `${name} (story history)`, labels, valueAt };
}

function crowdSeries(count: number): HistorySeries[] {
  return Array.from({ length: count }, (_, i) => {
    const labels = { namespace: 'crowd', pod: `crowd-${i}`, container: 'app' };
    const base = (0.2 + (i % 7) * 0.1) * GB;
    const rise = (t: number): number => {
      if (i % 10 === 0) {
        const minute = (t % DAY) / MINUTE - (i % 24) * 60;
        return minute > 0 && minute <= 30 ? 2 : 0;
      }
      return i % 10 === 1 ? businessLoad(t) : 0;
    };
    return gauge(
      'container_memory_working_set_bytes',
      labels,
      (t) => base * (1 + rise(t) + 0.05 * noiseAt(100 + i, t)),
    );
  });
}
