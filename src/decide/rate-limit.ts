import type { Action, Facts, LedgerEntry, RateBudget, RateLimit, RateScope } from '../domain/index.ts';
import { compareInstants, type Instant, instant, isAfter, isWithin } from './instant.ts';

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

/** Does the entry count against the same scope key as `want` (the entry the action would leave)? */
function sameScope(entry: LedgerEntry, want: LedgerEntry, scope: RateScope): boolean {
  // Field by field rather than building key strings: this runs for every ledger entry in every decide.
  if (entry.cluster !== want.cluster) return false;
  switch (scope) {
    case 'cluster':
      return true;
    case 'namespace':
      return entry.namespace === want.namespace;
    case 'workload':
      return (
        entry.namespace === want.namespace && entry.workload !== undefined && entry.workload === want.workload
      );
    case 'pod':
      return entry.namespace === want.namespace && entry.pod !== undefined && entry.pod === want.pod;
  }
}

/**
 * The sliding-window budget of every limit that applies to the action, counted from the ledger at `now`.
 * Pure: the store calls the same function under its lock to check-and-reserve atomically.
 */
export function rateBudgets(
  limits: readonly RateLimit[],
  action: Action,
  owner: Facts['owner'],
  ledger: readonly LedgerEntry[],
  now: Date,
): RateBudget[] {
  const keys = rateKeys(action, owner);
  const budgets: RateBudget[] = [];
  const end = instant(now.getTime());
  const want = ledgerEntryFor(action, owner, '', now);
  const sorted = isChronological(ledger);
  for (const limit of limits) {
    if (!limit.actions.includes(action.kind)) continue;
    const key = keys[limit.scope];
    if (key === undefined) continue;
    const since = instant(now.getTime() - limit.window);
    // The store appends in time order: then each window is a slice found by binary search, and only the
    // entries inside it are looked at. Any other order falls back to one pass over the whole ledger.
    const [from, to] = sorted ? [firstAfter(ledger, since), firstAfter(ledger, end)] : [0, ledger.length];
    const counted: LedgerEntry[] = [];
    for (let index = from; index < to; index++) {
      const e = ledger[index] as LedgerEntry;
      if (!sorted && !isWithin(e.at, since, end)) continue;
      if (limit.actions.includes(e.kind) && sameScope(e, want, limit.scope)) counted.push(e);
    }
    if (!sorted) counted.sort((a, b) => compareInstants(a.at, b.at));
    const used = counted.length;
    const oldest = counted[0];
    const last = counted.at(-1);
    budgets.push({
      scope: limit.scope,
      key,
      limit: limit.limit,
      windowMs: limit.window,
      used,
      remaining: Math.max(0, limit.limit - used),
      // With the budget spent, a slot frees when enough of the oldest entries age out of the window.
      ...(used >= limit.limit && oldest
        ? {
            nextSlotAt: new Date(
              Date.parse((counted[used - limit.limit] ?? oldest).at) + limit.window,
            ).toISOString(),
          }
        : {}),
      ...(last ? { last: { at: last.at, proposalId: last.proposalId } } : {}),
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
