import type { Action, LedgerEntry, RateLimit, RateScope } from '../domain/index.ts';
import { compareInstants, type Instant, instant, isAfter, isCanonical, isWithin } from './instant.ts';

/** A ledger entry, or a restart Kubernetes shows that someone other than Belay did, counted like one. */
export type CountedEntry = LedgerEntry & {
  /** For an observed restart: what the verdict says about it (`postgres-0 was recreated …`). */
  readonly description?: string;
};

/** What a limit's scope compares ledger entries with: the action's target, as rateKeys names it. */
export interface RateTarget {
  readonly cluster: string;
  readonly namespace: string;
  /** `Kind/name` of the workload, when the action has one. */
  readonly workload: string | undefined;
  /** The pod a restart-pod restarts. */
  readonly pod: string | undefined;
  /** A rolling restart: in pod scope it counts against, and is charged with, the busiest pod of its workload. */
  readonly rollout: boolean;
}

/** What one limit counts against the action: how many entries, the newest, and the one whose ageing out frees a slot. */
export interface RateTally {
  readonly used: number;
  readonly last: CountedEntry | undefined;
  /** With the budget spent (used >= limit), the `limit`-th newest entry: a slot frees when it leaves the window. */
  readonly freeing: CountedEntry | undefined;
}

/**
 * What each limit counts against the action (one tally per limit, in the same order). decide runs this for
 * every candidate and the store under its lock, over a ledger of up to a month, so nothing is copied or
 * parsed: the ledger is kept in time order, each limit's window is a suffix found by binary search and
 * counted in place, and only a spent budget looks for the entry that frees its next slot. The order is
 * checked first, one comparison per entry; when it does not hold (observed restarts appended after the
 * ledger) the entries inside the longest window are sorted once, so the result never depends on it.
 */
export function tallyByLimit(
  limits: readonly RateLimit[],
  target: RateTarget,
  ledger: readonly CountedEntry[],
  nowMs: number,
): RateTally[] {
  if (isChronological(ledger)) return tallies(limits, target, ledger, nowMs);
  const horizon = instant(nowMs - Math.max(0, ...limits.map((l) => l.window)));
  const sorted = ledger.filter((e) => isWithin(e.at, horizon, instant(nowMs))).sort(byTime);
  return tallies(limits, target, sorted, nowMs);
}

function isChronological(ledger: readonly CountedEntry[]): boolean {
  // Each time is checked for the canonical form once, not once per comparison.
  let previous = ledger[0]?.at ?? '';
  let canonical = isCanonical(previous);
  for (let index = 1; index < ledger.length; index++) {
    const at = (ledger[index] as CountedEntry).at;
    const both = isCanonical(at);
    if (canonical && both ? previous > at : compareInstants(previous, at) > 0) return false;
    previous = at;
    canonical = both;
  }
  return true;
}

/** The tallies over a chronological ledger. */
function tallies(
  limits: readonly RateLimit[],
  target: RateTarget,
  ledger: readonly CountedEntry[],
  nowMs: number,
): RateTally[] {
  const to = firstAfter(ledger, instant(nowMs));
  // Limits often share a window (an hour per pod and per namespace): each bound is found once.
  const starts = new Map<number, number>();
  return limits.map((limit) => {
    let from = starts.get(limit.window);
    if (from === undefined) {
      from = firstAfter(ledger, instant(nowMs - limit.window));
      starts.set(limit.window, from);
    }
    // A rollout-restart in pod scope is charged with its workload's busiest pod: those entries are kept.
    if (limit.scope === 'pod' && target.rollout) return podTally(limit, target, ledger, from, to);
    let used = 0;
    let last = -1;
    for (let index = from; index < to; index++) {
      if (counts(limit.scope, limit.actions, target, ledger[index] as CountedEntry)) {
        used++;
        last = index;
      }
    }
    const freeing =
      used >= limit.limit
        ? nthCounted(ledger, used - limit.limit, from, to, (e) =>
            counts(limit.scope, limit.actions, target, e),
          )
        : undefined;
    return { used, last: ledger[last], freeing };
  });
}

/** Does the entry count against the action in this scope? (Pod scope here is a restart-pod's.) */
function counts(scope: RateScope, kinds: readonly string[], t: RateTarget, e: CountedEntry): boolean {
  if (e.cluster !== t.cluster || !kinds.includes(e.kind)) return false;
  if (scope === 'cluster') return true;
  if (e.namespace !== t.namespace) return false;
  if (scope === 'namespace') return true;
  // An entry without a pod restarted every pod of its workload.
  if (scope === 'workload' || e.pod === undefined)
    return t.workload !== undefined && e.workload === t.workload;
  return e.pod === t.pod;
}

/** The `n`-th (from 0) entry in [from, to) that `counted` accepts: found again only for a spent budget. */
function nthCounted(
  ledger: readonly CountedEntry[],
  n: number,
  from: number,
  to: number,
  counted: (e: CountedEntry) => boolean,
): CountedEntry | undefined {
  let seen = 0;
  for (let index = from; index < to; index++) {
    const e = ledger[index] as CountedEntry;
    if (counted(e) && seen++ === n) return e;
  }
  return undefined;
}

/** Entries of the whole workload plus those of its busiest pod (the first to have the most), earliest first. */
function podTally(
  limit: RateLimit,
  target: RateTarget,
  ledger: readonly CountedEntry[],
  from: number,
  to: number,
): RateTally {
  const whole: CountedEntry[] = [];
  const pods = new Map<string, CountedEntry[]>();
  for (let index = from; index < to; index++) {
    const e = ledger[index] as CountedEntry;
    if (e.cluster !== target.cluster || !limit.actions.includes(e.kind) || !sameWorkloadAs(target, e))
      continue;
    // An entry without a pod restarted every pod of the workload.
    if (e.pod === undefined) whole.push(e);
    else {
      const list = pods.get(e.pod);
      if (list) list.push(e);
      else pods.set(e.pod, [e]);
    }
  }
  let busiest: CountedEntry[] = [];
  for (const entries of pods.values()) if (entries.length > busiest.length) busiest = entries;
  const entries = [...whole, ...busiest].sort(byTime);
  const used = entries.length;
  return {
    used,
    last: entries.at(-1),
    freeing: used >= limit.limit ? entries[used - limit.limit] : undefined,
  };
}

function sameWorkloadAs(target: RateTarget, e: CountedEntry): boolean {
  return target.workload !== undefined && e.workload === target.workload && e.namespace === target.namespace;
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

function byTime(a: CountedEntry, b: CountedEntry): number {
  return compareInstants(a.at, b.at);
}

/** The target of an action as the scopes match it. */
export function rateTarget(action: Action, workload: string | undefined): RateTarget {
  return {
    cluster: action.target.cluster,
    namespace: action.target.namespace,
    workload,
    pod: action.kind === 'restart-pod' ? action.target.pod : undefined,
    rollout: action.kind === 'rollout-restart',
  };
}
