import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import type { Selector } from '../../domain/index.ts';
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

/** A window per opted-in CronJob: its schedule, the longest recent run plus a margin, where it came from. */
export function backupWindowsFrom(
  cronJobs: readonly V1CronJob[],
  jobs: readonly V1Job[],
  settings: BackupDiscoverySettings,
): CalendarWindow[] {
  const windows: CalendarWindow[] = [];
  for (const cj of cronJobs) {
    const value = cj.metadata?.annotations?.[BACKUP_FOR] ?? cj.metadata?.labels?.[BACKUP_FOR];
    const namespace = cj.metadata?.namespace ?? '';
    const selector = value === undefined ? undefined : parseBackupTarget(value, namespace);
    if (!selector || !cj.spec?.schedule || cj.spec.suspend) continue;
    const observed = jobs
      .filter(
        (j) => j.metadata?.ownerReferences?.some((r) => r.uid === cj.metadata?.uid) && j.status?.succeeded,
      )
      .sort(
        (a, b) => new Date(b.status?.startTime ?? 0).getTime() - new Date(a.status?.startTime ?? 0).getTime(),
      )
      .slice(0, settings.recentRuns)
      .map(jobDurationMs)
      .filter((d): d is number => d !== undefined);
    const runMs = observed.length > 0 ? Math.max(...observed) : settings.assumedDurationMs;
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
