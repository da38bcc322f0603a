import type { Action, LedgerEntry, RateLimit } from '../../src/domain/index.ts';

/**
 * What a limit counts, written the slow and obvious way: every entry is parsed, every limit filters the
 * whole ledger on its own, and the result is sorted by parsed time. The property tests hold the one-pass
 * counting in src/decide to this.
 */
export function referenceCounted(
  limit: RateLimit,
  action: Action,
  workload: string | undefined,
  ledger: readonly LedgerEntry[],
  now: Date,
): LedgerEntry[] {
  const { cluster, namespace } = action.target;
  const nowMs = now.getTime();
  const inWindow = ledger
    .filter((e) => {
      const at = Date.parse(e.at);
      return at > nowMs - limit.window && at <= nowMs;
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const mine = inWindow.filter((e) => e.cluster === cluster && limit.actions.includes(e.kind));
  const ofWorkload = (e: LedgerEntry) =>
    workload !== undefined && e.namespace === namespace && e.workload === workload;
  switch (limit.scope) {
    case 'cluster':
      return mine;
    case 'namespace':
      return mine.filter((e) => e.namespace === namespace);
    case 'workload':
      return mine.filter(ofWorkload);
    case 'pod': {
      // An entry without a pod restarted every pod of its workload.
      if (action.kind === 'restart-pod')
        return mine.filter((e) =>
          e.pod === undefined ? ofWorkload(e) : e.namespace === namespace && e.pod === action.target.pod,
        );
      const wholeWorkload = mine.filter((e) => e.pod === undefined && ofWorkload(e));
      // A rollout-restart counts against every pod of its workload; it is charged with the busiest one
      // (the first to reach the highest count, in time order).
      const pods = new Map<string, LedgerEntry[]>();
      for (const e of mine)
        if (e.pod !== undefined && ofWorkload(e)) pods.set(e.pod, [...(pods.get(e.pod) ?? []), e]);
      const busiest = [...pods.values()].reduce<LedgerEntry[]>((b, l) => (l.length > b.length ? l : b), []);
      return [...wholeWorkload, ...busiest].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    }
  }
}
