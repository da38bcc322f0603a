import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStateStore } from '../../../src/govern/store/index.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock, sampleProposal } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const alice = { type: 'user', id: 'U0ALICE' } as const;

describe('state store: proposals', () => {
  it('refuses an invalid proposal, one not starting at "proposed", and a duplicate id', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    const noAction = { ...sampleProposal('bad'), action: { kind: 'delete-namespace' } };
    await assert.rejects(
      store.createProposal(noAction as never),
      storeError('invalid-record', /Refused a proposal/),
    );
    await assert.rejects(
      store.createProposal({ ...sampleProposal('p2'), state: 'approved' }),
      storeError('invalid-record', /must start in state "proposed"/),
    );
    await store.createProposal(sampleProposal('p1'));
    await assert.rejects(
      store.createProposal(sampleProposal('p1')),
      storeError('conflict', /already exists/),
    );
    assert.deepEqual(
      store.listProposals().map((p) => p.id),
      ['p1'],
    );
  });

  it('lets exactly one of 50 concurrent approvals through; the others learn who approved, and when', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock });
    await store.createProposal(sampleProposal('p1'));
    clock.advance(60_000);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.transition('p1', { from: 'proposed', to: 'approved', by: { type: 'user', id: `U${i}` } }),
      ),
    );
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    assert.ok(results[0]?.ok, 'the first call wins');
    for (const loser of results.slice(1)) {
      assert.deepEqual(loser, {
        ok: false,
        reason: 'wrong-state',
        current: 'approved',
        last: {
          from: 'proposed',
          to: 'approved',
          at: '2025-03-14T02:18:00.000Z',
          by: { type: 'user', id: 'U0' },
        },
      });
    }
    const reopened = await createStateStore({ dir, clock });
    assert.equal(reopened.getProposal('p1')?.history.length, 1);
  });

  it('refuses what the state machine forbids, and treats rejected and expired as terminal', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    assert.deepEqual(await store.transition('p1', { from: 'proposed', to: 'succeeded', by: alice }), {
      ok: false,
      reason: 'illegal',
      current: 'proposed',
    });
    assert.deepEqual(await store.transition('nope', { from: 'proposed', to: 'approved', by: alice }), {
      ok: false,
      reason: 'not-found',
    });
    for (const terminal of ['rejected', 'expired'] as const) {
      const id = `p-${terminal}`;
      await store.createProposal(sampleProposal(id));
      assert.ok((await store.transition(id, { from: 'proposed', to: terminal, by: alice })).ok);
      for (const to of ['approved', 'executing', 'proposed', 'expired', 'rejected'] as const) {
        const result = await store.transition(id, { from: terminal, to, by: alice });
        assert.equal(result.ok, false, `${terminal} → ${to}`);
        assert.equal(!result.ok && result.reason, 'illegal');
      }
      assert.equal(store.getProposal(id)?.state, terminal);
    }
  });

  it('walks the happy path with patches, and refuses a patch that would corrupt the proposal', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    await store.transition('p1', { from: 'proposed', to: 'approved', by: alice });
    await store.transition('p1', { from: 'approved', to: 'executing', by: { type: 'bot', id: 'belay' } });
    await assert.rejects(
      store.transition('p1', {
        from: 'executing',
        to: 'succeeded',
        by: alice,
        patch: { outcome: { ok: 'yes' } as never },
      }),
      storeError('invalid-record', /Refused transition of proposal p1/),
    );
    assert.equal(store.getProposal('p1')?.state, 'executing', 'a refused patch changes nothing');
    const done = await store.transition('p1', {
      from: ['executing'],
      to: 'succeeded',
      by: { type: 'bot', id: 'belay' },
      patch: { outcome: { ok: true, message: 'ready' }, revert: { podUid: 'abc' } },
    });
    assert.ok(done.ok);
    assert.deepEqual(
      done.proposal.history.map((h) => h.to),
      ['approved', 'executing', 'succeeded'],
    );
    assert.deepEqual(store.getProposal('p1')?.revert, { podUid: 'abc' });
  });

  it('hands out copies, so nobody changes a proposal behind the compare-and-set', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    const created = await store.createProposal(sampleProposal('p1'));
    created.state = 'succeeded';
    const fetched = store.getProposal('p1');
    assert.ok(fetched);
    fetched.state = 'succeeded';
    (store.listProposals()[0] as { state: string }).state = 'failed';
    assert.equal(store.getProposal('p1')?.state, 'proposed');
  });

  it('lists by state and incident, oldest first', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.createProposal({ ...sampleProposal('late', 'inc-2'), createdAt: '2025-03-14T03:00:00.000Z' });
    await store.createProposal(sampleProposal('early', 'inc-2'));
    await store.createProposal(sampleProposal('other', 'inc-9'));
    await store.transition('other', { from: 'proposed', to: 'rejected', by: alice });
    assert.deepEqual(
      store.listProposals({ incidentId: 'inc-2' }).map((p) => p.id),
      ['early', 'late'],
    );
    assert.deepEqual(
      store.listProposals({ states: ['rejected', 'expired'] }).map((p) => p.id),
      ['other'],
    );
  });
});
