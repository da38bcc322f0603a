import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateBudgets } from '../../src/decide/index.ts';
import type { Action, LedgerEntry, RateLimit } from '../../src/domain/index.ts';
import { referenceCounted } from '../support/rate-counts-reference.ts';

const now = new Date('2026-03-14T10:00:00.000Z');
const KINDS = ['restart-pod', 'rollout-restart', 'scale', 'rollback-deployment', 'patch-configmap'] as const;
const WINDOWS = [300_000, 3_600_000, 21_600_000, 30 * 86_400_000];

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

type Random = ReturnType<typeof random>;

/** A time as the ledger may hold it: mostly canonical, sometimes without milliseconds or with an offset. */
function writeTime(r: Random, ms: number): string {
  const canonical = new Date(ms).toISOString();
  const form = r.int(10);
  if (form === 0 && ms % 1_000 === 0) return canonical.replace('.000Z', 'Z');
  if (form === 1) return new Date(ms + 7_200_000).toISOString().replace('Z', '+02:00');
  return canonical;
}

function ledgerOf(r: Random): LedgerEntry[] {
  const length = r.int(80);
  // Times on a coarse grid, so ties and entries exactly on a window's bound happen often.
  const times = Array.from(
    { length },
    () => now.getTime() - (r.int(800) - 20) * r.pick([1_000, 300_000, 3_600_000]),
  );
  if (r.next() < 0.7) times.sort((a, b) => a - b);
  return times.map((ms, i) => {
    const workload = r.pick([undefined, 'Deployment/api', 'StatefulSet/db']);
    const pod = r.next() < 0.5 ? undefined : r.pick(['api-0', 'api-1', 'api-2', 'db-0']);
    return {
      at: writeTime(r, ms),
      kind: r.pick(KINDS),
      cluster: r.pick(['default', 'default', 'other']),
      namespace: r.pick(['staging', 'staging', 'shop']),
      ...(workload ? { workload } : {}),
      ...(pod ? { pod } : {}),
      proposalId: `p-${i}`,
    };
  });
}

function limitsOf(r: Random): RateLimit[] {
  return Array.from({ length: 1 + r.int(5) }, () => ({
    scope: r.pick(['pod', 'workload', 'namespace', 'cluster'] as const),
    actions: KINDS.filter(() => r.next() < 0.5).concat(r.pick(KINDS)),
    limit: r.int(6),
    window: r.pick(WINDOWS),
  }));
}

function actionOf(r: Random): Action {
  const scoped = { cluster: r.pick(['default', 'other']), namespace: r.pick(['staging', 'shop']) };
  switch (r.pick(KINDS)) {
    case 'restart-pod':
      return { kind: 'restart-pod', target: { ...scoped, pod: r.pick(['api-0', 'api-1', 'db-0']) } };
    case 'rollout-restart':
      return {
        kind: 'rollout-restart',
        target: {
          ...scoped,
          ...r.pick([
            { workloadKind: 'Deployment', name: 'api' } as const,
            { workloadKind: 'StatefulSet', name: 'db' } as const,
          ]),
        },
      };
    case 'scale':
      return { kind: 'scale', target: { ...scoped, workloadKind: 'Deployment', name: 'api' }, replicas: 3 };
    case 'rollback-deployment':
      return { kind: 'rollback-deployment', target: { ...scoped, name: 'api' } };
    case 'patch-configmap':
      return {
        kind: 'patch-configmap',
        target: { ...scoped, name: 'api-config' },
        data: { LOG_LEVEL: 'debug' },
      };
  }
}

/** The workload an action counts against in workload and pod scope, as rateKeys names it. */
function workloadOf(action: Action, owner: { kind: string; name: string } | undefined): string | undefined {
  if (action.kind === 'restart-pod') return owner && `${owner.kind}/${owner.name}`;
  if (action.kind === 'rollback-deployment') return `Deployment/${action.target.name}`;
  if (action.kind === 'patch-configmap') return undefined;
  return `${action.target.workloadKind}/${action.target.name}`;
}

describe('rate budgets counted in one pass', () => {
  it('equal the slow per-limit count over 3,000 random ledgers, limits and actions', () => {
    let checked = 0;
    for (let seed = 1; seed <= 3_000; seed++) {
      const r = random(seed);
      const ledger = ledgerOf(r);
      const limits = limitsOf(r);
      const action = actionOf(r);
      const owner = r.pick([
        undefined,
        { kind: 'Deployment', name: 'api' } as const,
        { kind: 'StatefulSet', name: 'db' } as const,
      ]);
      const budgets = rateBudgets(limits, action, owner, ledger, now);
      const workload = workloadOf(action, owner);
      // The budgets follow the limits that apply, in order: those that give a budget on their own.
      const applicable = limits.filter((l) => rateBudgets([l], action, owner, [], now).length > 0);
      assert.equal(budgets.length, applicable.length, `seed ${seed}: one budget per limit that applies`);
      for (const [index, budget] of budgets.entries()) {
        const limit = applicable[index] as RateLimit;
        const expected = referenceCounted(limit, action, workload, ledger, now);
        const freeing = expected.length >= limit.limit ? expected[expected.length - limit.limit] : undefined;
        assert.deepEqual(
          [budget.used, budget.last?.proposalId, budget.nextSlotAt],
          [
            expected.length,
            expected.at(-1)?.proposalId,
            freeing && new Date(Date.parse(freeing.at) + limit.window).toISOString(),
          ],
          `seed ${seed}: ${budget.scope} limit over ${JSON.stringify(ledger.map((e) => [e.at, e.kind, e.pod]))}`,
        );
        if (budget.used > 0) checked++;
      }
    }
    // The generator must produce real work, not thousands of empty budgets.
    assert.ok(checked > 2_000, `only ${checked} budgets counted anything`);
  });

  it('are the same whatever order the ledger is in', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const ledger = ledgerOf(r);
      const limits = limitsOf(r);
      const action = actionOf(r);
      const owner = { kind: 'Deployment', name: 'api' } as const;
      const sorted = [...ledger].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      const reversed = [...sorted].reverse();
      const used = (l: readonly LedgerEntry[]) =>
        rateBudgets(limits, action, owner, l, now).map((b) => [b.used, b.nextSlotAt]);
      assert.deepEqual(used(reversed), used(sorted), `seed ${seed}`);
    }
  });
});
