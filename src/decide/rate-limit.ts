import type { Action, Facts, LedgerEntry, RateBudget, RateLimit, RateScope } from '../domain/index.ts';
import { type CountedEntry, type RateTally, rateTarget, tallyByLimit } from './rate-counts.ts';
import { observedTargetRestarts } from './restarts.ts';

export type { CountedEntry } from './rate-counts.ts';

/** The keys an action counts against, one per scope it has. */
export function rateKeys(action: Action, owner: Facts['owner']): Partial<Record<RateScope, string>> {
  const { cluster, namespace } = action.target;
  const workload =
    action.kind === 'restart-pod'
      ? owner && `${owner.kind}/${owner.name}`
      : action.kind === 'rollback-deployment'
        ? `Deployment/${action.target.name}`
        : action.kind === 'patch-configmap'
          ? undefined
          : `${action.target.workloadKind}/${action.target.name}`;
  return {
    cluster,
    namespace: `${cluster}/${namespace}`,
    ...(workload ? { workload: `${cluster}/${namespace}/${workload}` } : {}),
    ...(action.kind === 'restart-pod' ? { pod: `${cluster}/${namespace}/${action.target.pod}` } : {}),
    // A rolling restart restarts every pod of its workload.
    ...(action.kind === 'rollout-restart' && workload
      ? { pod: `every pod of ${cluster}/${namespace}/${workload}` }
      : {}),
  };
}

/** The ledger entry an executed action leaves behind. */
export function ledgerEntryFor(
  action: Action,
  owner: Facts['owner'],
  proposalId: string,
  at: Date,
): LedgerEntry {
  const keys = rateKeys(action, owner);
  return {
    at: at.toISOString(),
    kind: action.kind,
    cluster: action.target.cluster,
    namespace: action.target.namespace,
    ...(keys.workload ? { workload: keys.workload.split('/').slice(2).join('/') } : {}),
    ...(action.kind === 'restart-pod' ? { pod: action.target.pod } : {}),
    proposalId,
  };
}

/** A ledger entry for every restart of the target that Kubernetes shows and Belay's ledger does not explain. */
export function observedRestartEntries(facts: Facts, now: Date): CountedEntry[] {
  const workload = facts.owner ? `${facts.owner.kind}/${facts.owner.name}` : undefined;
  return observedTargetRestarts(facts, now, Number.POSITIVE_INFINITY)
    .filter((r) => r.intervention)
    .map((r) => ({
      at: r.at,
      kind: r.level === 'pod' ? 'restart-pod' : 'rollout-restart',
      cluster: facts.cluster,
      namespace: facts.namespace,
      ...(workload ? { workload } : {}),
      ...(r.level === 'pod' && facts.pod ? { pod: facts.pod.name } : {}),
      proposalId: '',
      description: r.description,
    }));
}

/**
 * The sliding-window budget of every limit that applies to the action, counted from the ledger at `now`.
 * Pure: the store calls the same function under its lock to check-and-reserve atomically. `ledger` may
 * carry observedRestartEntries too: a restart is a restart, whoever did it.
 */
export function rateBudgets(
  limits: readonly RateLimit[],
  action: Action,
  owner: Facts['owner'],
  ledger: readonly CountedEntry[],
  now: Date,
): RateBudget[] {
  const keys = rateKeys(action, owner);
  const applicable = limits.filter((l) => l.actions.includes(action.kind) && keys[l.scope] !== undefined);
  const workload = keys.workload?.split('/').slice(2).join('/');
  const tallies = tallyByLimit(applicable, rateTarget(action, workload), ledger, now.getTime());
  const budgets: RateBudget[] = [];
  for (const [index, limit] of applicable.entries()) {
    const key = keys[limit.scope] as string;
    // With the budget spent, a slot frees when enough of the oldest entries age out of the window.
    const { used, last, freeing } = tallies[index] as RateTally;
    budgets.push({
      scope: limit.scope,
      key,
      limit: limit.limit,
      windowMs: limit.window,
      used,
      remaining: Math.max(0, limit.limit - used),
      ...(freeing ? { nextSlotAt: new Date(Date.parse(freeing.at) + limit.window).toISOString() } : {}),
      ...(last
        ? {
            last: {
              at: last.at,
              proposalId: last.proposalId,
              ...(last.description ? { description: last.description } : {}),
            },
          }
        : {}),
    });
  }
  return budgets;
}

export function budgetsAdmit(budgets: readonly RateBudget[]): boolean {
  return budgets.every((b) => b.remaining > 0);
}

const WHERE: Record<RateScope, string> = {
  pod: 'of the pod',
  workload: 'of the workload',
  namespace: 'in the namespace',
  cluster: 'in the cluster',
};

/** Exactly what a limit counts, in the words check-config prints: the same rules rateBudgets applies. */
export function describeRateLimit(limit: RateLimit): string {
  const kinds = limit.actions;
  // In pod scope only actions that name a pod (or restart every pod of a workload) have a key.
  const keyed = kinds.filter((k) => limit.scope !== 'pod' || k === 'restart-pod' || k === 'rollout-restart');
  const parts = keyed.length > 0 ? [`Belay's own ${listed(keyed)} ${WHERE[limit.scope]}`] : [];
  if (limit.scope === 'pod' && kinds.includes('rollout-restart'))
    parts.push('a rollout-restart counting against every pod of its workload');
  const observed = [
    ...(kinds.includes('restart-pod') ? ['the pod recreated (deleted by hand, evicted, rescheduled)'] : []),
    ...(kinds.includes('rollout-restart')
      ? [
          'its workload restarted (kubectl.kubernetes.io/restartedAt) or rolled to a new ReplicaSet or ControllerRevision',
        ]
      : []),
  ];
  if (observed.length > 0)
    parts.push(
      `restarts of the target Belay did not do: ${observed.join('; ')} (a crashing container does not count)`,
    );
  const unkeyed = kinds.filter((k) => !keyed.includes(k));
  const tail =
    unkeyed.length > 0
      ? ` ${listed(unkeyed)} ${unkeyed.length === 1 ? 'names' : 'name'} no pod, so ${unkeyed.length === 1 ? 'it never counts' : 'they never count'} here.`
      : '';
  return `counts ${parts.join(', plus ')}.${tail}`;
}

function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
