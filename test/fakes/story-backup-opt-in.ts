// An addition to the story's history (story-history.ts, unchanged): CronJob postgres-backup opts in as the
// backup of postgres-0, as kube-state-metrics exports it with
// --metric-annotations-allowlist=cronjobs=[belay.io/backup-for].
import type { HistorySeries } from './openmetrics-history.ts';

export function backupOptInSeries(): HistorySeries[] {
  return [
    {
      name: 'kube_cronjob_annotations',
      type: 'gauge',
      help: 'kube_cronjob_annotations (story history)',
      labels: {
        namespace: 'databases',
        cronjob: 'postgres-backup',
        annotation_belay_io_backup_for: 'postgres-0',
      },
      valueAt: () => 1,
    },
  ];
}
