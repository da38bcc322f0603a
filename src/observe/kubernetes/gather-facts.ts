import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import type { KubernetesSection } from '../../config/sections/kubernetes.ts';
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
import { type BackupDiscoverySettings, backupWindowsFrom } from './backup-windows.ts';

/** The calendar's occurrence function, injected so facts can be gathered against any calendar. */
export type OccurrencesAt = typeof occurrencesAt;

import type { KubeReader } from './kube-reader.ts';
import { labelSelectorString } from './label-selector.ts';
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
}

/** Backup discovery settings from the `kubernetes.backups` config section. */
export function backupSettingsFrom(section: KubernetesSection): GatherFactsDeps['backups'] {
  const b = section.backups;
  return {
    marginMs: b.margin,
    assumedDurationMs: b.assumedDuration,
    recentRuns: b.recentRuns,
    namespaces: b.namespaces,
    failClosed: b.failClosed,
  };
}

/** What Belay's own stores know (ledger, freeze, pause, approvals, metrics); Kubernetes knows the rest. */
export type NonKubernetesFacts = Omit<
  FactsInput,
  'cluster' | 'namespace' | 'namespaceLabels' | 'pod' | 'owner' | 'lastRolloutAt' | 'replicas' | 'windows'
>;

const REVISION = 'deployment.kubernetes.io/revision';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

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
  if (action.kind === 'restart-pod') {
    const p = await reader.get('Pod', namespace, action.target.pod);
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
  for (const where of new Set([namespace, ...deps.backups.namespaces])) {
    try {
      const [crons, jobs] = await Promise.all([reader.list('CronJob', where), reader.list('Job', where)]);
      discovered.push(...backupWindowsFrom(crons.items, jobs.items, deps.backups));
    } catch (error) {
      problems.push({
        source: `cronjobs in ${where}`,
        message: `could not list backup CronJobs: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        failClosed: deps.backups.failClosed,
      });
    }
  }
  const at = deps.clock.now();
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
    lastRolloutAt: workload ? await lastRollout(reader, namespace, workload) : undefined,
    replicas: workload ? replicaHealth(workload) : undefined,
    windows,
    calendarProblems: problems,
  });
}

type Workload = V1Deployment | V1StatefulSet;

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
async function lastRollout(reader: KubeReader, namespace: string, w: Workload): Promise<string | undefined> {
  const times: number[] = [];
  const restarted = w.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  if (restarted) times.push(Date.parse(restarted));
  const revision = w.metadata?.annotations?.[REVISION];
  if (revision) {
    const { items } = await reader.list('ReplicaSet', namespace, {
      labelSelector: labelSelectorString(w.spec?.selector),
    });
    const current = items.find(
      (rs) =>
        rs.metadata?.annotations?.[REVISION] === revision &&
        rs.metadata?.ownerReferences?.some((r) => r.uid === w.metadata?.uid),
    );
    if (current?.metadata?.creationTimestamp)
      times.push(new Date(current.metadata.creationTimestamp).getTime());
  }
  const valid = times.filter(Number.isFinite);
  return valid.length > 0 ? new Date(Math.max(...valid)).toISOString() : undefined;
}
