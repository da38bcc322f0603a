import { z } from 'zod';
import { namespaceSchema } from '../../../domain/index.ts';
import { BACKUP_FOR, jobDurationMs } from '../backup-windows.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z.object({ namespace: namespaceSchema }).strict();

export function cronjobsList(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'cronjobs_list',
    description: 'CronJobs: schedule, time zone, suspended, last runs and durations, declared backups.',
    input,
    async run({ namespace }, env) {
      const [crons, jobs] = await Promise.all([
        env.reader.list('CronJob', namespace, { max: env.limits.fetch }),
        env.reader.list('Job', namespace, { max: env.limits.fetch }),
      ]);
      const shown = crons.items.slice(0, env.limits.items);
      const cronjobs = shown.map((cj) => {
        const runs = jobs.items
          .filter((j) => j.metadata?.ownerReferences?.some((r) => r.uid === cj.metadata?.uid))
          .sort(
            (a, b) =>
              new Date(b.status?.startTime ?? 0).getTime() - new Date(a.status?.startTime ?? 0).getTime(),
          )
          .slice(0, env.limits.runs)
          .map((j) => ({
            name: j.metadata?.name,
            startedAt: j.status?.startTime ? new Date(j.status.startTime).toISOString() : undefined,
            durationSeconds:
              jobDurationMs(j) !== undefined ? Math.round((jobDurationMs(j) as number) / 1000) : undefined,
            result: j.status?.succeeded ? 'succeeded' : j.status?.failed ? 'failed' : 'running',
          }));
        const backupFor = cj.metadata?.labels?.[BACKUP_FOR] ?? cj.metadata?.annotations?.[BACKUP_FOR];
        return {
          name: cj.metadata?.name,
          schedule: cj.spec?.schedule,
          timeZone: cj.spec?.timeZone ?? 'UTC',
          suspend: cj.spec?.suspend ?? false,
          lastScheduleTime: cj.status?.lastScheduleTime
            ? new Date(cj.status.lastScheduleTime).toISOString()
            : undefined,
          ...(backupFor ? { backupFor } : {}),
          recentRuns: runs,
        };
      });
      const cut = [
        shown.length < crons.items.length ? `showing ${shown.length} of ${crons.items.length} CronJobs` : '',
        crons.complete && jobs.complete ? '' : `read only the first ${env.limits.fetch} CronJobs/Jobs`,
      ].filter(Boolean);
      return { data: { namespace, cronjobs }, ...(cut.length ? { truncated: cut.join('; ') } : {}) };
    },
  });
}
