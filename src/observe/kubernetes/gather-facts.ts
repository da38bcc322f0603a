import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  type Action,
  type Clock,
  type Facts,
  type FactsInput,
  factsSchema,
  type Labels,
  type WorkloadRef,
} from '../../domain/index.ts';
import type { CalendarWindow, occurrencesAt } from '../calendar/index.ts';
import { type BackupDiscoverySettings, backupJobWindows, backupWindowsFrom } from './backup-windows.ts';

/** The calendar's occurrence function, injected so facts can be gathered against any calendar. */
export type OccurrencesAt = typeof occurrencesAt;

import type { KubeReader } from '../../kube/index.ts';
import { observedRestarts, type RolloutRecord, rolloutRecord, type Workload } from './observed-restarts.ts';
import { resolveTopOwner } from './owner-chain.ts';
import { lastRestartAt, lastTermination, memoryLimitBytes, restartCount } from './pod-summary.ts';

export interface GatherFactsDeps {
  readonly reader: KubeReader;
  readonly clock: Clock;
  /** The calendar module's occurrence function (cron maths, time zones). */
  readonly occurrencesAt: OccurrencesAt;
  /** Windows from the config file and other calendars, already turned into CalendarWindow values. */
  readonly windows?: readonly CalendarWindow[];
  readonly backups: BackupDiscoverySettings & {
    /** Namespaces besides the target's own where backup CronJobs live. */
    readonly namespaces: readonly string[];
    /** With fail-closed, a CronJob list that cannot be read blocks like a window. */
    readonly failClosed: boolean;
  };
  /** How far back restarts of the target are listed: the policy's longest restart window (restartHorizonMs). */
  readonly restartHorizonMs?: number;
}

/** Without a policy to say otherwise, restarts of the last day are listed. */
const DEFAULT_RESTART_HORIZON_MS = 24 * 3_600_000;

// Apart from this file so a reader of history (belay replay) need not load the cluster client with it.
export { backupSettingsFrom } from './backup-settings.ts';

/** What Belay's own stores know (ledger, freeze, pause, approvals, metrics); Kubernetes knows the rest. */
export type NonKubernetesFacts = Omit<
  FactsInput,
  | 'cluster'
  | 'namespace'
  | 'namespaceLabels'
  | 'pod'
  | 'owner'
  | 'lastRolloutAt'
  | 'replicas'
  | 'windows'
  | 'restarts'
>;

/**
 * Facts for the policy about an action's target, read by code at one instant: owner chain, namespace
 * labels, restart history, last rollout, unhealthy share, and the windows (backup CronJobs included)
 * that cover it. Reads that fail for a calendar become calendarProblems; a missing target fails loudly.
 */
export async function gatherFacts(
  deps: GatherFactsDeps,
  action: Action,
  base: NonKubernetesFacts = {},
): Promise<Facts> {
  const { reader } = deps;
  const { cluster, namespace } = action.target;
  const ns = await reader.get('Namespace', '', namespace);
  const names: string[] = [];
  let labels: Labels = {};
  let pod: FactsInput['pod'];
  let owner: WorkloadRef | undefined;
  let podObject: V1Pod | undefined;
  if (action.kind === 'restart-pod') {
    const p = await reader.get('Pod', namespace, action.target.pod);
    podObject = p;
    labels = p.metadata?.labels ?? {};
    const ended = lastTermination(p);
    const limit = memoryLimitBytes(p, ended?.container);
    pod = {
      name: action.target.pod,
      labels,
      restartCount: restartCount(p),
      lastRestartAt: lastRestartAt(p),
      ...(ended ? { lastTerminationReason: ended.reason } : {}),
      ...(limit !== undefined ? { memoryLimitBytes: limit } : {}),
      containers: (p.spec?.containers ?? []).map((c) => c.name),
    };
    owner = await resolveTopOwner(reader, namespace, p.metadata?.ownerReferences);
    names.push(action.target.pod);
  } else if (action.kind === 'patch-configmap') {
    names.push(action.target.name);
  } else {
    owner = {
      kind: action.kind === 'rollback-deployment' ? 'Deployment' : action.target.workloadKind,
      name: action.target.name,
    };
  }
  if (owner) names.push(owner.name);

  const workload = await readWorkload(reader, namespace, owner);
  if (workload && action.kind !== 'restart-pod') labels = workload.spec?.template?.metadata?.labels ?? {};

  const problems: NonNullable<FactsInput['calendarProblems']> = [...(base.calendarProblems ?? [])];
  const discovered: CalendarWindow[] = [];
  const at = deps.clock.now();
  for (const where of new Set([namespace, ...deps.backups.namespaces])) {
    try {
      const [crons, jobs] = await Promise.all([reader.list('CronJob', where), reader.list('Job', where)]);
      discovered.push(
        ...backupWindowsFrom(crons.items, jobs.items, deps.backups),
        ...backupJobWindows(crons.items, jobs.items, deps.backups, at),
      );
    } catch (error) {
      problems.push({
        source: `cronjobs in ${where}`,
        message: `could not list backup CronJobs: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        failClosed: deps.backups.failClosed,
      });
    }
  }
  const record = workload ? await rolloutRecord(reader, namespace, workload) : undefined;
  const restarts = await observedRestarts(
    reader,
    namespace,
    { ...(podObject ? { pod: podObject } : {}), ...(workload && record ? { workload, record } : {}) },
    at,
    deps.restartHorizonMs ?? DEFAULT_RESTART_HORIZON_MS,
  );
  const windows = deps.occurrencesAt(
    [...(deps.windows ?? []), ...discovered],
    { cluster, namespace, names, labels },
    at,
  );

  return factsSchema.parse({
    ...base,
    cluster,
    namespace,
    namespaceLabels: ns.metadata?.labels ?? {},
    pod,
    owner,
    lastRolloutAt: record ? lastRollout(record) : undefined,
    restarts,
    replicas: workload ? replicaHealth(workload) : undefined,
    windows,
    calendarProblems: problems,
  });
}

async function readWorkload(
  reader: KubeReader,
  namespace: string,
  owner: WorkloadRef | undefined,
): Promise<Workload | undefined> {
  if (owner?.kind === 'Deployment') return reader.get('Deployment', namespace, owner.name);
  if (owner?.kind === 'StatefulSet') return reader.get('StatefulSet', namespace, owner.name);
  return undefined;
}

function replicaHealth(w: Workload): { desired: number; unhealthy: number } {
  const desired = w.spec?.replicas ?? 1;
  const healthy =
    w.kind === 'StatefulSet' || 'serviceName' in (w.spec ?? {})
      ? (w.status?.readyReplicas ?? 0)
      : ((w as V1Deployment).status?.availableReplicas ?? 0);
  return { desired, unhealthy: Math.max(0, desired - healthy) };
}

/** The later of: the current ReplicaSet's creation (a new template) and a restartedAt stamp. */
function lastRollout(record: RolloutRecord): string | undefined {
  const times = [record.restartedAtMs, record.revision?.createdMs].filter(
    (t): t is number => t !== undefined && Number.isFinite(t),
  );
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}
