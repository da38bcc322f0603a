import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../src/domain/index.ts';
import { createInvestigationScheduler } from '../../src/govern/investigation-scheduler.ts';
import { NO_SPEND, type OrientResult } from '../../src/orient/index.ts';

function incident(n: number, storm = false): Incident {
  return {
    schemaVersion: 1,
    id: `inc-${n}`,
    key: `homelab/team-${n % 5}/Deployment/api-${n}`,
    cluster: 'homelab',
    namespace: `team-${n % 5}`,
    workload: { kind: 'Deployment', name: `api-${n}` },
    title: `KubePodCrashLooping in team-${n % 5}/api-${n}`,
    status: 'open',
    alerts: { [`fp-${n}`]: 'firing' },
    openedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    storm,
  };
}

function result(incidentId: string): OrientResult {
  return {
    incidentId,
    origin: { type: 'model', model: 'test', promptVersion: 'v1' },
    promptVersion: 'v1',
    summary: `looked at ${incidentId}`,
    outcome: { type: 'no-action', why: 'test' },
    rejected: [],
    untrustedQuotes: [],
    spend: NO_SPEND,
  };
}

const facts = { cluster: 'homelab', namespace: 'team-0', storm: false } as never;

describe('investigation scheduler', () => {
  it('investigates up to the limit at once, and no more', async () => {
    let inFlight = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    const scheduler = createInvestigationScheduler({
      concurrency: 4,
      audit: { append: async () => ({}) as never },
      orient: async ({ incident: i }) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Each investigation waits until four run together (or nothing else can start), then finishes.
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length >= 4) for (const w of waiting.splice(0)) w();
        });
        inFlight -= 1;
        return result(i.id);
      },
    });
    const done: string[] = [];
    await scheduler.forEach(
      Array.from({ length: 8 }, (_, n) => incident(n)),
      async (i) => {
        await scheduler.orient({ incident: i, facts, alerts: [] });
        done.push(i.id);
      },
    );
    assert.equal(most, 4);
    assert.equal(done.length, 8);
  });

  it('a storm: one shared investigation first, then per-incident ones up to the budget; the rest are covered', async () => {
    const calls: string[] = [];
    const audits: string[] = [];
    const scheduler = createInvestigationScheduler({
      stormInvestigations: 5,
      audit: {
        append: async (r) => {
          audits.push(r.summary);
          return {} as never;
        },
      },
      orient: async ({ incident: i }) => {
        calls.push(i.id);
        return result(i.id);
      },
    });
    const members = Array.from({ length: 40 }, (_, n) => ({ incident: incident(n, true), alerts: [] }));
    await scheduler.beginBatch(true, members);
    const results: OrientResult[] = [];
    await scheduler.forEach(members, async (m) => {
      results.push(await scheduler.orient({ incident: m.incident, facts, alerts: [] }));
    });
    assert.equal(calls.length, 5, 'the storm costs five investigations, not forty');
    assert.match(calls[0] ?? '', /^storm-/, 'the shared investigation runs before any per-incident one');
    assert.match(audits[0] ?? '', /Storm \(40 incidents; budget 5 investigations\)/);
    const covered = results.filter((r) => r.origin.type === 'deterministic');
    assert.equal(covered.length, 36);
    assert.match(covered[0]?.summary ?? '', /covered by the storm's shared investigation: looked at storm-/);
    assert.deepEqual(scheduler.stormSpend(), { investigations: 5, covered: 36 });

    // The storm passes: a new incident gets its own investigation again.
    await scheduler.beginBatch(false, []);
    await scheduler.orient({ incident: incident(99), facts, alerts: [] });
    assert.equal(calls.at(-1), 'inc-99');
  });
});
