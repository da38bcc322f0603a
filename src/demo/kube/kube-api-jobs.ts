import type { Loose } from './kube-api-patch.ts';

// CronJobs and Jobs as the cluster holds them: the CronJob controller (and `kubectl create job
// --from=cronjob/…`) names, owns and annotates its Jobs this way, and the Job controller records progress in
// status.active / startTime and ends a Job with a Complete or Failed condition.

/** A CronJob that opts in as a backup of `backupFor` (`belay.io/backup-for`). */
export function backupCronJob(
  namespace: string,
  name: string,
  options: { uid?: string; backupFor?: string; schedule?: string; suspend?: boolean } = {},
): Loose {
  return {
    kind: 'CronJob',
    metadata: {
      name,
      namespace,
      uid: options.uid ?? `uid-cronjob-${name}`,
      labels: { 'belay.io/backup-for': options.backupFor ?? 'postgres' },
    },
    spec: {
      schedule: options.schedule ?? '0 2 * * *',
      timeZone: 'UTC',
      ...(options.suspend ? { suspend: true } : {}),
      jobTemplate: {
        metadata: { labels: { app: `${name}` } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup' }] } } },
      },
    },
  };
}

/** The name the CronJob controller gives the run scheduled at `scheduled`: name-<minutes since the epoch>. */
export function scheduledJobName(cronJobName: string, scheduled: string): string {
  return `${cronJobName}-${Math.floor(Date.parse(scheduled) / 60_000)}`;
}

export type JobProgress =
  | { state: 'running'; startTime: string }
  | { state: 'succeeded' | 'failed'; startTime: string; endedAt: string };

/**
 * A Job of `cronJob`. `manual` makes it what `kubectl create job --from=cronjob/<name>` creates: the same
 * controller owner reference, plus `cronjob.kubernetes.io/instantiate: manual`; otherwise it is the
 * controller's scheduled run, stamped with `batch.kubernetes.io/cronjob-scheduled-timestamp`.
 */
export function jobOf(
  cronJob: Loose,
  name: string,
  progress: JobProgress,
  options: { manual?: boolean } = {},
): Loose {
  return {
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      labels: { ...(cronJob.spec.jobTemplate.metadata?.labels ?? {}) },
      annotations: options.manual
        ? { 'cronjob.kubernetes.io/instantiate': 'manual' }
        : { 'batch.kubernetes.io/cronjob-scheduled-timestamp': progress.startTime },
      creationTimestamp: progress.startTime,
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata.name,
          uid: cronJob.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: structuredClone(cronJob.spec.jobTemplate.spec),
    status: jobStatus(progress),
  };
}

/** The status the Job controller writes at each stage. */
export function jobStatus(progress: JobProgress): Loose {
  if (progress.state === 'running')
    return {
      startTime: progress.startTime,
      active: 1,
      ready: 1,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
  if (progress.state === 'succeeded')
    return {
      startTime: progress.startTime,
      completionTime: progress.endedAt,
      succeeded: 1,
      ready: 0,
      terminating: 0,
      conditions: [
        condition('SuccessCriteriaMet', 'CompletionsReached', progress.endedAt),
        condition('Complete', 'CompletionsReached', progress.endedAt),
      ],
    };
  return {
    startTime: progress.startTime,
    failed: 7,
    ready: 0,
    terminating: 0,
    conditions: [
      condition('FailureTarget', 'BackoffLimitExceeded', progress.endedAt),
      condition('Failed', 'BackoffLimitExceeded', progress.endedAt),
    ],
  };
}

function condition(type: string, reason: string, at: string): Loose {
  return { type, status: 'True', reason, lastProbeTime: at, lastTransitionTime: at };
}
