import { z } from 'zod';
import { labelsSchema } from './names.ts';

export const ALERT_SOURCES = ['alertmanager', 'pagerduty', 'slack'] as const;
export const alertSourceSchema = z.enum(ALERT_SOURCES);

/**
 * One alert, normalised from whichever tool raised it. `fingerprint` is the source's stable identity for
 * the alert (Alertmanager's label hash, PagerDuty's incident id), so repeats of it are idempotent.
 */
export const alertSchema = z
  .object({
    source: alertSourceSchema,
    fingerprint: z.string().min(1).max(256),
    status: z.enum(['firing', 'resolved']),
    name: z.string().min(1).max(256),
    labels: labelsSchema,
    annotations: labelsSchema,
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    receivedAt: z.iso.datetime({ offset: true }),
    /** Where a human can see the alert at its source (Prometheus graph, PagerDuty incident). */
    url: z.string().max(2_048).optional(),
    /** The Slack message the alert was read from, so Belay answers in its thread. */
    slackMessage: z.object({ channel: z.string(), ts: z.string() }).strict().optional(),
  })
  .strict();
export type Alert = z.infer<typeof alertSchema>;

/** Where an alert points in a cluster, read from the labels kube-state-metrics and cAdvisor put on it. */
export interface AlertSubject {
  cluster: string | undefined;
  namespace: string | undefined;
  pod: string | undefined;
  container: string | undefined;
  workload: { kind: string; name: string } | undefined;
}

/** The label each kind of workload goes by in kube-state-metrics and the usual alert rules. */
export const WORKLOAD_LABELS = [
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['job_name', 'Job'],
  ['cronjob', 'CronJob'],
] as const;

export function alertSubject(alert: Alert): AlertSubject {
  const l = alert.labels;
  const workloadLabel = WORKLOAD_LABELS.find(([label]) => l[label]);
  const workload = workloadLabel
    ? { kind: workloadLabel[1], name: l[workloadLabel[0]] as string }
    : l.workload && l.workload_type
      ? { kind: l.workload_type, name: l.workload }
      : undefined;
  return {
    cluster: l.cluster,
    namespace: l.namespace,
    pod: l.pod,
    container: l.container,
    workload,
  };
}
