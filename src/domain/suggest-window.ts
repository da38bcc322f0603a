import { z } from 'zod';
import { formatDuration } from './duration.ts';
import type { RecurringPattern } from './recurring-pattern.ts';

/** A window as it is written in belay.yaml under `windows:`, ready to paste. */
export const suggestedWindowSchema = z
  .object({
    name: z.string().min(1).max(63),
    kind: z.enum(['maintenance', 'backup']),
    description: z.string().max(300),
    schedule: z.string().min(1).max(100),
    duration: z.string().min(1).max(20),
    timezone: z.string().min(1).max(100),
    selector: z
      .object({
        clusters: z.array(z.string()).optional(),
        namespaces: z.array(z.string()),
        names: z.array(z.string()),
      })
      .strict(),
  })
  .strict();
export type SuggestedWindow = z.infer<typeof suggestedWindowSchema>;

/** `postgres-backup: backup, schedule "0 2 * * *", duration 50m, UTC, namespaces [databases], names [postgres]` */
export function describeSuggestedWindow(window: SuggestedWindow): string {
  const { selector } = window;
  const scope = [
    selector.clusters && `clusters [${selector.clusters.join(', ')}]`,
    `namespaces [${selector.namespaces.join(', ')}]`,
    `names [${selector.names.join(', ')}]`,
  ].filter(Boolean);
  return `${window.name}: ${window.kind}, schedule "${window.schedule}", duration ${window.duration}, timezone ${window.timezone}, ${scope.join(', ')}`;
}

// A pod's name changes when its workload replaces it; a StatefulSet's or a Deployment's does not.
const STABLE_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob']);
const BACKUP_WORDS = /backup|dump|snapshot|archive|vacuum/i;

/** The window that would name a recurring pattern: its time as a cron schedule and a duration, its target as a selector. */
export function suggestWindow(pattern: RecurringPattern): SuggestedWindow {
  const { target, coincidingCronJob: job } = pattern;
  const workload =
    target.workload && STABLE_WORKLOADS.has(target.workload.kind) ? target.workload.name : undefined;
  const subject = workload ?? target.pod ?? target.namespace;
  const hour = Math.floor(pattern.startMinute / 60);
  const minute = pattern.startMinute % 60;
  const day = pattern.period === 'weekly' ? String(pattern.weekday ?? 0) : '*';
  return {
    name: windowName(job ? job.name : `${subject}-${pattern.signal}`),
    kind: job && BACKUP_WORDS.test(job.name) ? 'backup' : 'maintenance',
    description: `Learned from metrics: ${pattern.daysSeen} of ${pattern.daysExamined} ${pattern.period === 'weekly' ? 'weeks' : 'days'}${job ? `, with CronJob ${job.namespace}/${job.name}` : ''}`,
    schedule: `${minute} ${hour} * * ${day}`,
    duration: formatDuration((pattern.endMinute - pattern.startMinute) * 60_000),
    timezone: pattern.timeZone,
    selector: {
      ...(target.cluster ? { clusters: [target.cluster] } : {}),
      namespaces: [target.namespace],
      names: [subject],
    },
  };
}

/** A policy name: lower-case letters, digits and "-", at most 63. */
function windowName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'learned-window';
}
