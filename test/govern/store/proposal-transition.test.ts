import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition, PROPOSAL_STATES, proposalSchema } from '../../../src/domain/index.ts';
import { applyTransition } from '../../../src/govern/store/index.ts';
import { sampleProposal } from './sample-records.ts';

const by = { type: 'user', id: 'U012AB3CD' } as const;
const at = '2025-03-14T02:20:00.000Z';

describe('applyTransition', () => {
  it('allows exactly the moves the state machine allows, from every state to every state', () => {
    for (const from of PROPOSAL_STATES) {
      const proposal = proposalSchema.parse({ ...sampleProposal(), state: from });
      for (const to of PROPOSAL_STATES) {
        const result = applyTransition(proposal, { from, to, by }, at);
        assert.equal(result.ok, canTransition(from, to), `${from} → ${to}`);
        if (!result.ok)
          assert.deepEqual([result.reason, result.current], ['illegal', from], `${from} → ${to}`);
      }
    }
  });

  it('treats rejected, expired and reverted as terminal', () => {
    for (const from of ['rejected', 'expired', 'reverted'] as const) {
      const proposal = proposalSchema.parse({ ...sampleProposal(), state: from });
      for (const to of PROPOSAL_STATES) {
        assert.equal(applyTransition(proposal, { from, to, by }, at).ok, false, `${from} → ${to}`);
      }
    }
  });

  it('lets a failed action only be reverted, or superseded by a newer change (its write may have landed before verification failed)', () => {
    const proposal = proposalSchema.parse({ ...sampleProposal(), state: 'failed' });
    for (const to of PROPOSAL_STATES) {
      assert.equal(
        applyTransition(proposal, { from: 'failed', to, by }, at).ok,
        to === 'reverted' || to === 'superseded',
        `failed → ${to}`,
      );
    }
  });

  it('says wrong-state, with who moved it last, when the proposal is not where the caller thinks', () => {
    const approved = proposalSchema.parse({
      ...sampleProposal(),
      state: 'approved',
      history: [{ from: 'proposed', to: 'approved', at, by }],
    });
    const result = applyTransition(approved, { from: 'proposed', to: 'approved', by }, at);
    assert.deepEqual(result, {
      ok: false,
      reason: 'wrong-state',
      current: 'approved',
      last: { from: 'proposed', to: 'approved', at, by },
    });
  });

  it('accepts any of several expected states', () => {
    const approved = proposalSchema.parse({ ...sampleProposal(), state: 'approved' });
    const result = applyTransition(approved, { from: ['proposed', 'approved'], to: 'expired', by }, at);
    assert.equal(result.ok && result.proposal.state, 'expired');
  });

  it('says not-found for no proposal', () => {
    assert.deepEqual(applyTransition(undefined, { from: 'proposed', to: 'approved', by }, at), {
      ok: false,
      reason: 'not-found',
    });
  });

  it('records the move and applies the patch without touching the original', () => {
    const executing = proposalSchema.parse({ ...sampleProposal(), state: 'executing' });
    const outcome = { ok: true, message: 'postgres-0 is Ready again' };
    const result = applyTransition(
      executing,
      {
        from: 'executing',
        to: 'succeeded',
        by,
        note: 'verified',
        patch: { outcome, revert: { none: true } },
      },
      at,
    );
    assert.ok(result.ok);
    assert.equal(result.proposal.state, 'succeeded');
    assert.deepEqual(result.proposal.outcome, outcome);
    assert.deepEqual(result.proposal.revert, { none: true });
    assert.equal(result.proposal.updatedAt, at);
    assert.deepEqual(result.proposal.history, [
      { from: 'executing', to: 'succeeded', at, by, note: 'verified' },
    ]);
    assert.equal(executing.state, 'executing');
    assert.deepEqual(executing.history, []);
  });

  it('throws on a patch that would make the proposal invalid', () => {
    const executing = proposalSchema.parse({ ...sampleProposal(), state: 'executing' });
    const outcome = { ok: 'yes', message: 1 } as unknown as { ok: boolean; message: string };
    assert.throws(() =>
      applyTransition(executing, { from: 'executing', to: 'failed', by, patch: { outcome } }, at),
    );
  });
});
