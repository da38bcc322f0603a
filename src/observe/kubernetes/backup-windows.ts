import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import type { Selector, WindowOccurrence } from '../../domain/index.ts';
import type { CalendarWindow } from '../calendar/index.ts';

/** The label or annotation a CronJob carries to say "I back up <selector>; do not disturb it while I run". */
export const BACKUP_FOR = 'belay.io/backup-for';

export interface BackupDiscoverySettings {
  /** Added to the observed duration: backups run long on the night you do not watch them. */
  readonly marginMs: number;
  /** Assumed duration when no finished run is known yet. */
  readonly assumedDurationMs: number;
  /** How many recent successful runs to take the longest of. */
  readonly recentRuns: number;
}

/**
 * `belay.io/backup-for` values: `app=postgres,tier=db` (labels, in the CronJob's namespace), or
 * `[namespace/]name-glob` (`postgres-*`, `databases/postgres`). Label values cannot hold `=` or `/`, so the
 * label form is a name; the annotation can hold either.
 */
export function parseBackupTarget(value: string, cronNamespace: string): Selector | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (text.includes('=')) {
    const labels: Record<string, string> = {};
    for (const pair of text.split(',')) {
      const [k, v, ...rest] = pair.split('=').map((s) => s.trim());
      if (!k || v === undefined || rest.length > 0) return undefined;
      labels[k] = v;
    }
    return { namespaces: [cronNamespace], labels };
  }
  const [ns, name] = text.includes('/') ? text.split('/', 2) : [cronNamespace, text];
  if (!ns || !name) return undefined;
  return { namespaces: [ns], names: [name] };
}

/** How long a finished Job ran. */
export function jobDurationMs(job: V1Job): number | undefined {
  const start = job.status?.startTime;
  const end = job.status?.completionTime;
  return start && end ? new Date(end).getTime() - new Date(start).getTime() : undefined;
}

type JobState = NonNullable<WindowOccurrence['job']>['state'];

/**
 * Where a Job stands, as the Job controller records it: a `Complete` or `Failed` condition ends it (older
 * objects may only carry `completionTime`); otherwise it is running once started, whether or not a pod is
 * active right now (between retries none is). Undefined for a Job that never started or is suspended.
 */
export function jobState(job: V1Job): { state: JobState; endedAt?: string } | undefined {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  const iso = (t: Date | string | undefined) => (t ? new Date(t).toISOString() : undefined);
  const complete = holds('Complete');
  if (complete || (job.status?.completionTime && !holds('Failed')))
    return { state: 'succeeded', endedAt: iso(job.status?.completionTime ?? complete?.lastTransitionTime) };
  const failed = holds('Failed');
  if (failed) return { state: 'failed', endedAt: iso(failed.lastTransitionTime) };
  if ((job.status?.active ?? 0) > 0 || (job.status?.startTime && !job.spec?.suspend))
    return { state: 'running' };
  return undefined;
}

/** The CronJob's opt-in, parsed; undefined when it has none or it does not parse. */
function backupSelector(meta: V1CronJob['metadata'] | V1Job['metadata']): Selector | undefined {
  const value = meta?.annotations?.[BACKUP_FOR] ?? meta?.labels?.[BACKUP_FOR];
  return value === undefined ? undefined : parseBackupTarget(value, meta?.namespace ?? '');
}

/** A Job the CronJob started, on schedule or by `kubectl create job --from=cronjob/…` (same owner ref). */
function startedBy(job: V1Job, cj: V1CronJob): boolean {
  return (job.metadata?.ownerReferences ?? []).some((r) =>
    r.uid ? r.uid === cj.metadata?.uid : r.kind === 'CronJob' && r.name === cj.metadata?.name,
  );
}

/** The longest of the CronJob's recent successful runs, or undefined when none has finished yet. */
function recentRunMs(cj: V1CronJob, jobs: readonly V1Job[], recentRuns: number): number | undefined {
  const observed = jobs
    .filter((j) => startedBy(j, cj) && jobState(j)?.state === 'succeeded')
    .sort(
      (a, b) => new Date(b.status?.startTime ?? 0).getTime() - new Date(a.status?.startTime ?? 0).getTime(),
    )
    .slice(0, recentRuns)
    .map(jobDurationMs)
    .filter((d): d is number => d !== undefined);
  return observed.length > 0 ? Math.max(...observed) : undefined;
}

/** A window per opted-in CronJob: its schedule, the longest recent run plus a margin, where it came from. */
export function backupWindowsFrom(
  cronJobs: readonly V1CronJob[],
  jobs: readonly V1Job[],
  settings: BackupDiscoverySettings,
): CalendarWindow[] {
  const windows: CalendarWindow[] = [];
  for (const cj of cronJobs) {
    const namespace = cj.metadata?.namespace ?? '';
    const selector = backupSelector(cj.metadata);
    if (!selector || !cj.spec?.schedule || cj.spec.suspend) continue;
    const runMs = recentRunMs(cj, jobs, settings.recentRuns) ?? settings.assumedDurationMs;
    windows.push({
      name: `backup:${namespace}/${cj.metadata?.name}`,
      kind: 'backup',
      timing: {
        type: 'recurring',
        schedule: cj.spec.schedule,
        timezone: cj.spec.timeZone ?? 'UTC',
        durationMs: runMs + settings.marginMs,
      },
      selector,
      blocks: 'all',
      source: { type: 'cronjob', ref: `${namespace}/${cj.metadata?.name}` },
    });
  }
  return windows;
}

/**
 * A window per backup Job that runs now or ended less than a margin ago, whatever the schedule predicted:
 * an overrunning night, a manual `kubectl create job --from=cronjob/…`, a Job that carries the opt-in
 * itself. A running Job's window reaches a margin past `now` and every decision reads it again, so it holds
 * until the Job ends plus the margin; a Job that failed ends it the same way, and a deleted one is gone.
 */
export function backupJobWindows(
  cronJobs: readonly V1CronJob[],
  jobs: readonly V1Job[],
  settings: BackupDiscoverySettings,
  now: Date,
): CalendarWindow[] {
  const windows: CalendarWindow[] = [];
  for (const job of jobs) {
    const namespace = job.metadata?.namespace ?? '';
    const cj = cronJobs.find((c) => startedBy(job, c) && backupSelector(c.metadata));
    const selector = cj ? backupSelector(cj.metadata) : backupSelector(job.metadata);
    const state = jobState(job);
    const startedAt = job.status?.startTime ?? job.metadata?.creationTimestamp;
    if (!selector || !state || !startedAt || !job.metadata?.name) continue;
    const from = new Date(startedAt);
    const to =
      state.state === 'running'
        ? new Date(now.getTime() + Math.max(settings.marginMs, 1_000))
        : new Date(Date.parse(state.endedAt ?? from.toISOString()) + settings.marginMs);
    if (to.getTime() <= now.getTime()) continue;
    const runMs = cj ? recentRunMs(cj, jobs, settings.recentRuns) : undefined;
    windows.push({
      name: `backup-job:${namespace}/${job.metadata.name}`,
      kind: 'backup',
      timing: { type: 'one-off', from, to },
      selector,
      blocks: 'all',
      source: cj
        ? { type: 'cronjob', ref: `${namespace}/${cj.metadata?.name}` }
        : { type: 'backup-job', ref: `${namespace}/${job.metadata.name}` },
      job: {
        name: job.metadata.name,
        startedAt: from.toISOString(),
        ...state,
        ...(runMs !== undefined ? { recentRunMs: runMs } : {}),
      },
    });
  }
  return windows;
}
