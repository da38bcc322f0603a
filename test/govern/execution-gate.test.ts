import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ExecutionOutcome, Executor } from '../../src/act/index.ts';
import type { Action, ExecutionPermit, Facts } from '../../src/domain/index.ts';
import { factsSchema } from '../../src/domain/index.ts';
import { createExecutionGate, type FactsSource } from '../../src/govern/execution-gate.ts';
import { createAuditLog, createStateStore } from '../../src/govern/store/index.ts';
import { storyPolicy } from '../support/story-policy.ts';
import { manualClock, sampleProposal } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

const sre = { type: 'user', id: 'U0SRE0001' } as const;
const allow = () => ({ ok: true as const });
const scale = {
  kind: 'scale',
  target: { cluster: 'default', namespace: 'staging', workloadKind: 'Deployment', name: 'web' },
  replicas: 4,
} as const;

/** An executor that records every permit it is handed and answers as told: a double that is an implementation. */
function recordingExecutor(answer: ExecutionOutcome = { status: 'succeeded', message: 'scaled' }) {
  const permits: ExecutionPermit[] = [];
  const executor: Executor = {
    async execute(permit) {
      permits.push(permit);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answer;
    },
    async revert(_snapshot, permit) {
      permits.push(permit);
      return answer;
    },
  };
  return { executor, permits };
}

async function setup(
  t: TestContext,
  options: { facts?: FactsSource; executor?: Executor; action?: Action } = {},
) {
  const dir = await tempDir(t);
  const clock = manualClock('2026-03-14T10:00:00.000Z');
  const store = await createStateStore({ dir, clock });
  const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
  const facts: FactsSource =
    options.facts ??
    (async (): Promise<Facts> =>
      factsSchema.parse({
        cluster: 'default',
        namespace: 'staging',
        owner: { kind: 'Deployment', name: 'web' },
        ledger: [...store.ledger()],
        freeze: store.freeze(),
        pause: store.pause(),
      }));
  const recorded = recordingExecutor();
  const executor = options.executor ?? recorded.executor;
  const gate = createExecutionGate({ policy: storyPolicy, store, audit, facts, executor, clock });
  const proposal = await store.createProposal({
    ...sampleProposal('p-1', 'i-1'),
    action: options.action ?? scale,
    origin: { type: 'manual', user: 'U0SRE0002' },
    expiresAt: '2026-03-14T10:30:00.000Z',
    createdAt: '2026-03-14T10:00:00.000Z',
    updatedAt: '2026-03-14T10:00:00.000Z',
  });
  return { store, audit, gate, clock, proposal, permits: recorded.permits };
}

describe('the execution gate', () => {
  it('runs a proposal once, whatever the number of concurrent approvals', async (t) => {
    const { gate, store, audit, permits } = await setup(t);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gate.run('p-1', { by: { type: 'user', id: `U0SRE${i}` }, humanApproval: true, authorize: allow }),
      ),
    );
    assert.equal(permits.length, 1, 'one permit, one execution');
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.ok(results.filter((r) => !r.ok).every((r) => /already|right now/.test(r.message)));
    assert.equal(store.getProposal('p-1')?.state, 'succeeded');
    const types = (await audit.read()).map((e) => e.type);
    assert.equal(types.filter((x) => x === 'execution.started').length, 1);
    assert.deepEqual(
      types.filter((x) => x.startsWith('execution') || x === 'proposal.approved'),
      ['proposal.approved', 'execution.started', 'execution.finished'],
    );
  });

  it('mints the permit only after policy allowed it and "execution.started" is on disk', async (t) => {
    let seenStarted = false;
    const { gate, audit } = await setup(t, {
      executor: {
        async execute() {
          seenStarted = (await audit.read({ types: ['execution.started'] })).length === 1;
          return { status: 'succeeded', message: 'ok' };
        },
        async revert() {
          return { status: 'failed', message: 'not used' };
        },
      },
    });
    await gate.run('p-1', { by: sre, humanApproval: true, authorize: allow });
    assert.ok(seenStarted);
  });

  it('runs nothing when the facts cannot be read, and says so', async (t) => {
    const { gate, store, permits } = await setup(t, {
      facts: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.1:443');
      },
    });
    const result = await gate.run('p-1', { by: sre, humanApproval: true, authorize: allow });
    assert.equal(result.ok, false);
    assert.match(result.message, /could not read the current state of the target \(connect ECONNREFUSED/);
    assert.equal(permits.length, 0);
    assert.equal(store.getProposal('p-1')?.state, 'proposed');
  });

  it('refuses a person the check refuses, audits it, and runs nothing', async (t) => {
    const { gate, audit, permits } = await setup(t);
    const result = await gate.run('p-1', {
      by: sre,
      humanApproval: true,
      authorize: () => ({ ok: false, why: 'only the DBAs may' }),
    });
    assert.match(result.message, /You can't approve this: only the DBAs may/);
    assert.equal(permits.length, 0);
    assert.equal((await audit.read({ types: ['approval.refused'] })).length, 1);
  });

  it('without a human, runs only what the policy lets run on its own', async (t) => {
    const { gate, permits } = await setup(t);
    const result = await gate.run('p-1', {
      by: { type: 'bot', id: 'belay' },
      humanApproval: false,
      authorize: allow,
    });
    assert.equal(result.ok, false);
    assert.match(result.message, /Not run/);
    assert.equal(permits.length, 0);
  });

  it('expires a proposal clicked after its time, and runs nothing', async (t) => {
    const { gate, clock, store, permits } = await setup(t);
    clock.advance(31 * 60_000);
    const result = await gate.run('p-1', { by: sre, humanApproval: true, authorize: allow });
    assert.match(result.message, /expired at/);
    assert.equal(store.getProposal('p-1')?.state, 'expired');
    assert.equal(permits.length, 0);
  });

  it('gives the rate-limit slot back when the cluster refused the action', async (t) => {
    const restart = {
      kind: 'restart-pod',
      target: { cluster: 'default', namespace: 'staging', pod: 'web-1' },
    } as const;
    const refused = recordingExecutor({
      status: 'refused',
      message: 'PodDisruptionBudget',
      reason: 'DisruptionBudget',
    });
    const { gate, store } = await setup(t, { executor: refused.executor, action: restart });
    await gate.run('p-1', { by: sre, humanApproval: true, authorize: allow });
    assert.equal(store.getProposal('p-1')?.state, 'failed');
    assert.equal(store.ledger().length, 0, 'nothing ran, so nothing counts against the limit');
  });

  it('a revert the target moved past supersedes the proposal: nothing is reverted, and nothing is left to click', async (t) => {
    const snapshot = {
      type: 'restore-replicas',
      proposalId: 'p-1',
      kind: 'scale',
      cluster: 'default',
      namespace: 'staging',
      name: 'web',
      workloadKind: 'Deployment',
      replicas: 3,
      setReplicas: 4,
      takenAt: '2026-03-14T10:01:00.000Z',
    } as const;
    const changed =
      'Deployment staging/web was scaled to 8 replicas at 10:20 UTC by kube-controller-manager (a HorizontalPodAutoscaler?) after Belay set 4: scaling it back to 3 would undo that, so Belay changed nothing.';
    const executor: Executor = {
      execute: async () => ({ status: 'succeeded', message: 'scaled', revert: snapshot }),
      revert: async () => ({ status: 'refused', reason: 'ChangedSince', message: changed }),
    };
    const { gate, store, audit } = await setup(t, { executor });
    await gate.run('p-1', { by: sre, humanApproval: true, authorize: allow });
    assert.equal(store.getProposal('p-1')?.state, 'succeeded');
    const result = await gate.revert('p-1', { by: sre, authorize: allow });
    assert.equal(result.ok, false);
    assert.match(result.message, /^Not reverted\. Deployment staging\/web was scaled to 8 replicas/);
    assert.equal(result.proposal?.state, 'superseded');
    assert.equal(store.getProposal('p-1')?.history.at(-1)?.note, changed);
    const finished = await audit.read({ types: ['revert.finished'] });
    assert.match(finished[0]?.summary ?? '', /^refused: .*kube-controller-manager/);
    const again = await gate.revert('p-1', { by: sre, authorize: allow });
    assert.match(again.message, /cannot be reverted: the target changed after Belay acted/);
  });

  it('after a crash, reconciles what was executing as failed and never retries it', async (t) => {
    const { gate, store, audit, permits } = await setup(t);
    await store.transition('p-1', { from: 'proposed', to: 'approved', by: sre });
    await store.transition('p-1', { from: 'approved', to: 'executing', by: sre });
    const reconciled = await gate.reconcileInterrupted();
    assert.deepEqual(
      reconciled.map((p) => p.state),
      ['failed'],
    );
    assert.match(store.getProposal('p-1')?.outcome?.message ?? '', /not retried/);
    assert.equal(permits.length, 0);
    assert.equal((await audit.read({ types: ['execution.finished'] })).length, 1);
  });
});
