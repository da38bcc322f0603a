import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { sampleValue } from '../prometheus/prometheus-response.ts';
import { type LabelMatcher, seriesSelector } from '../prometheus/promql-selector.ts';
import { BACKUP_FOR } from './backup-windows.ts';

/** `belay.io/backup-for` as kube-state-metrics names it in a label: every character not allowed becomes `_`. */
const OPT_IN_LABELS = [
  `annotation_${BACKUP_FOR.replace(/[^a-zA-Z0-9_]/g, '_')}`,
  `label_${BACKUP_FOR.replace(/[^a-zA-Z0-9_]/g, '_')}`,
];

export interface BackupHistory {
  /** The CronJobs and Jobs of those namespaces as they were, shaped as the API returns them. */
  readonly cronJobs: V1CronJob[];
  readonly jobs: V1Job[];
  readonly gaps: string[];
}

type Row = { readonly metric: Record<string, string>; readonly value: number };

/**
 * The backup CronJobs and their Jobs as kube-state-metrics recorded them at `atMs`, in the shape the
 * cluster's API gives, so the same backupWindowsFrom and backupJobWindows that read the live cluster turn
 * them into windows. A CronJob's opt-in (`belay.io/backup-for`) is only in history when kube-state-metrics
 * exports it (`--metric-annotations-allowlist=cronjobs=[belay.io/backup-for]`, or the labels allowlist);
 * without it no CronJob is a backup, and the gap says so.
 */
export async function backupHistory(
  client: PrometheusClient,
  namespaces: readonly string[],
  atMs: number,
): Promise<BackupHistory> {
  const gaps: string[] = [];
  const time = new Date(atMs);
  const scope: LabelMatcher = {
    label: 'namespace',
    op: '=~',
    value: namespaces.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  };
  const read = async (metric: string, extra: LabelMatcher[] = []): Promise<Row[]> => {
    const selector = seriesSelector(metric, [scope, ...extra]);
    if (!selector.ok) return [];
    const answer = await client.instant(selector.selector, { time });
    if (!answer.ok || answer.data.resultType !== 'vector') {
      gaps.push(`backup CronJobs: ${answer.ok ? `${metric} was not an instant vector` : answer.error}`);
      return [];
    }
    return answer.data.result.map((r) => ({ metric: r.metric, value: sampleValue(r.value[1]) }));
  };
  const [annotations, labels, info, owners, starts, completions, active] = await Promise.all([
    read('kube_cronjob_annotations'),
    read('kube_cronjob_labels'),
    read('kube_cronjob_info'),
    read('kube_job_owner', [{ label: 'owner_kind', op: '=', value: 'CronJob' }]),
    read('kube_job_status_start_time'),
    read('kube_job_status_completion_time'),
    read('kube_job_status_active'),
  ]);
  const key = (m: Record<string, string>, name: string | undefined) => `${m.namespace}/${name}`;
  const optIns = new Map<string, string>();
  for (const row of [...annotations, ...labels]) {
    const value = OPT_IN_LABELS.map((l) => row.metric[l]).find((v) => v);
    if (value && row.metric.cronjob) optIns.set(key(row.metric, row.metric.cronjob), value);
  }
  if (annotations.length === 0 && labels.length === 0 && info.length > 0)
    gaps.push(
      'backup CronJobs: their belay.io/backup-for opt-ins are not in history (no kube_cronjob_annotations or kube_cronjob_labels series); no CronJob is treated as a backup',
    );
  const cronJobs: V1CronJob[] = info.flatMap((row) => {
    const { namespace, cronjob: name, schedule } = row.metric;
    const optIn = optIns.get(key(row.metric, name));
    if (!namespace || !name || !schedule || !optIn) return [];
    return [
      {
        metadata: { namespace, name, annotations: { [BACKUP_FOR]: optIn } },
        spec: { schedule, jobTemplate: {} },
      },
    ];
  });
  const jobValue = (rows: readonly Row[], m: Record<string, string>) =>
    rows.find((r) => r.metric.namespace === m.namespace && r.metric.job_name === m.job_name)?.value;
  const iso = (seconds: number | undefined) =>
    seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1_000) : undefined;
  const jobs: V1Job[] = owners.flatMap((row) => {
    const { namespace, job_name: name, owner_name: cronJob } = row.metric;
    if (!namespace || !name || !cronJob) return [];
    const startTime = iso(jobValue(starts, row.metric));
    const completionTime = iso(jobValue(completions, row.metric));
    return [
      {
        metadata: {
          namespace,
          name,
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob, uid: '' }],
        },
        status: {
          ...(startTime ? { startTime } : {}),
          ...(completionTime ? { completionTime } : {}),
          active: jobValue(active, row.metric) ?? 0,
        },
      },
    ];
  });
  return { cronJobs, jobs, gaps };
}
