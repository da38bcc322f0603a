import type { Action, Facts, LedgerEntry, RateBudget, RateLimit, RateScope } from '../domain/index.ts';
import { compareInstants, type Instant, instant, isAfter, isWithin } from './instant.ts';
import { observedTargetRestarts } from './restarts.ts';

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

/** A ledger entry, or a restart Kubernetes shows that someone other than Belay did, counted like one. */
export type CountedEntry = LedgerEntry & {
  /** For an observed restart: what the verdict says about it (`postgres-0 was recreated …`). */
  readonly description?: string;
};

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
 * The entries a limit counts against the action in one scope, earliest first: those of `kinds` from
 * `entries[from]` up to `entries[to]` (`entries` is chronological). One pass, no copies: with a month of ledger this runs
 * over every entry. In pod scope a rollout-restart is a restart of every pod of its workload: it counts
 * against each of them, and a rollout-restart is charged with the busiest pod of its workload.
 */
function countedIn(
  scope: RateScope,
  action: Action,
  owner: Facts['owner'],
  kinds: readonly Action['kind'][],
  entries: readonly CountedEntry[],
  from: number,
  to: number,
): readonly CountedEntry[] {
  const { cluster, namespace } = action.target;
  const workload = rateKeys(action, owner).workload?.split('/').slice(2).join('/');
  const pod = action.kind === 'restart-pod' ? action.target.pod : undefined;
  if (scope === 'workload' && !workload) return [];
  const counted: CountedEntry[] = [];
  const byPod = new Map<string, CountedEntry[]>();
  for (let index = from; index < to; index++) {
    const e = entries[index] as CountedEntry;
    if (e.cluster !== cluster || !kinds.includes(e.kind)) continue;
    if (scope === 'cluster') counted.push(e);
    else if (e.namespace !== namespace) continue;
    else if (scope === 'namespace') counted.push(e);
    else if (scope === 'workload') {
      if (e.workload === workload) counted.push(e);
    } else if (e.pod === undefined) {
      if (workload && e.workload === workload) counted.push(e);
    } else if (action.kind === 'restart-pod') {
      if (e.pod === pod) counted.push(e);
    } else if (workload && e.workload === workload) byPod.set(e.pod, [...(byPod.get(e.pod) ?? []), e]);
  }
  if (byPod.size === 0) return counted;
  const busiest = [...byPod.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return [...counted, ...busiest].sort(byTime);
}

function byTime(a: CountedEntry, b: CountedEntry): number {
  return compareInstants(a.at, b.at);
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
  const nowMs = now.getTime();
  const applicable = limits.filter((l) => l.actions.includes(action.kind) && keys[l.scope] !== undefined);
  const horizon = instant(nowMs - Math.max(0, ...applicable.map((l) => l.window)));
  const end = instant(nowMs);
  // The store runs this under its lock on every reservation, over a ledger of up to a month: no entry is
  // parsed to count it (canonical ISO strings compare as text, see instant.ts). The ledger is kept in time
  // order, so each limit's window is a suffix found by binary search; observed restarts appended after it
  // break the order, and then the entries inside the longest window are filtered and sorted once.
  const entries = isChronological(ledger)
    ? ledger
    : ledger.filter((e) => isWithin(e.at, horizon, end)).sort(byTime);
  const to = firstAfter(entries, end);
  const budgets: RateBudget[] = [];
  for (const limit of applicable) {
    const key = keys[limit.scope] as string;
    // Each window is a suffix of the chronological slice.
    const from = firstAfter(entries, instant(nowMs - limit.window));
    const counted = countedIn(limit.scope, action, owner, limit.actions, entries, from, to);
    const used = counted.length;
    const last = counted.at(-1);
    // With the budget spent, a slot frees when enough of the oldest entries age out of the window.
    const freeing = used >= limit.limit ? counted[used - limit.limit] : undefined;
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

function isChronological(ledger: readonly LedgerEntry[]): boolean {
  for (let index = 1; index < ledger.length; index++) {
    if (compareInstants((ledger[index - 1] as LedgerEntry).at, (ledger[index] as LedgerEntry).at) > 0)
      return false;
  }
  return true;
}

/** The index of the first entry after `bound` in a chronological ledger (its length if none is). */
function firstAfter(ledger: readonly LedgerEntry[], bound: Instant): number {
  let low = 0;
  let high = ledger.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isAfter((ledger[mid] as LedgerEntry).at, bound)) high = mid;
    else low = mid + 1;
  }
  return low;
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
