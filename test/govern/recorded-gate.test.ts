import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type Proposal, proposalSchema } from '../../src/domain/index.ts';
import type { ExecutionGate, GateResult } from '../../src/govern/execution-gate.ts';
import { createOutcomeTracker } from '../../src/govern/outcome-tracker.ts';
import { withRuleRecords } from '../../src/govern/recorded-gate.ts';
import { createAuditLog, createRuleRecordsStore } from '../../src/govern/store/index.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { sampleVerdict } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

const T0 = '2026-03-10T02:20:00.000Z';

function proposal(state: Proposal['state'], disposition: 'auto' | 'suggest'): Proposal {
  return proposalSchema.parse({
    schemaVersion: 1,
    id: 'p-1',
    incidentId: 'i-1',
    action: {
      kind: 'scale',
      target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
      replicas: 6,
    },
    origin: { type: 'rule', rule: 'scale-on-latency' },
    alert: {
      source: 'alertmanager',
      fingerprint: 'fp-1',
      status: 'firing',
      name: 'HighLatency',
      labels: { alertname: 'HighLatency', namespace: 'shop', deployment: 'web' },
      annotations: {},
      startsAt: T0,
      receivedAt: T0,
    },
    state,
    createdAt: T0,
    updatedAt: T0,
    expiresAt: T0,
    verdict: { ...sampleVerdict, disposition },
    history: [{ from: 'approved', to: 'executing', at: T0, by: { type: 'bot', id: 'belay' } }],
  });
}

/** A gate that answers what it is given: the real gate's results, without a cluster behind them. */
function scriptedGate(result: GateResult): ExecutionGate {
  return {
    run: async () => result,
    revert: async () => result,
    reconcileInterrupted: async () => [],
  };
}

async function setup(t: TestContext, result: GateResult, options: { fenced?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const dir = await tempDir(t);
  let fenced = false;
  const records = await createRuleRecordsStore({
    dir,
    fence: () => {
      if (fenced) throw new Error('this Belay lost the lock');
    },
  });
  fenced = options.fenced ?? false;
  const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
  const lines: string[] = [];
  const presenter = { line: async (_id: string, text: string) => void lines.push(text) };
  const outcomes = createOutcomeTracker({
    records,
    store: { getIncident: () => undefined },
    audit,
    presenter,
    settings: { resolveWithin: 900_000, returnWithin: 86_400_000 },
    clock,
  });
  const gate = withRuleRecords(scriptedGate(result), {
    records,
    audit,
    presenter,
    clock,
    outcomes,
    fileModes: { 'scale-on-latency': 'auto' },
  });
  return { gate, records, audit, lines };
}

const bot = { type: 'bot', id: 'belay' } as const;
const alice = { type: 'user', id: 'U0ALICE' } as const;

describe('the gate teaches the rule records', () => {
  it('a failed verification of an automatic action demotes its rule to suggest, in the thread and the audit', async (t) => {
    const failed = proposal('failed', 'auto');
    const { gate, records, audit, lines } = await setup(t, {
      ok: false,
      message: 'pods not Ready',
      proposal: failed,
      outcome: { status: 'verification-failed', message: 'pods not Ready' },
    });
    const result = await gate.run('p-1', { by: bot, humanApproval: false, authorize: () => ({ ok: true }) });
    assert.equal(result.message, 'pods not Ready', 'the result is passed on unchanged');
    assert.equal(records.override('scale-on-latency')?.mode, 'suggest');
    assert.equal(records.override('scale-on-latency')?.why, 'its automatic action failed verification');
    assert.match(
      lines.join(),
      /Rule scale-on-latency is demoted to suggest: its automatic action failed verification/,
    );
    const [demoted] = await audit.read({ types: ['rule.demoted'] });
    assert.deepEqual(demoted?.data, {
      rule: 'scale-on-latency',
      from: 'auto',
      to: 'suggest',
      why: 'its automatic action failed verification',
    });
    assert.equal(records.outcome('p-1')?.status, 'pending', 'what ran is measured too');
  });

  it('a revert of an automatic action demotes; a revert of one a human approved does not', async (t) => {
    const human = await setup(t, {
      ok: true,
      message: 'reverted',
      proposal: proposal('reverted', 'suggest'),
    });
    await human.gate.revert('p-1', { by: alice, authorize: () => ({ ok: true }) });
    assert.deepEqual(human.records.modes(), {});
    const auto = await setup(t, { ok: true, message: 'reverted', proposal: proposal('reverted', 'auto') });
    await auto.gate.revert('p-1', { by: alice, authorize: () => ({ ok: true }) });
    assert.equal(auto.records.override('scale-on-latency')?.mode, 'suggest');
    assert.match(auto.lines.join(), /its automatic action was reverted by <@U0ALICE>/);
  });

  it('a record that cannot be written is audited and never turns a done action into a failed click', async (t) => {
    const { gate, audit, records } = await setup(
      t,
      {
        ok: true,
        message: 'scaled',
        proposal: proposal('succeeded', 'auto'),
        outcome: { status: 'succeeded', message: 'scaled' },
      },
      { fenced: true },
    );
    const result = await gate.run('p-1', { by: bot, humanApproval: false, authorize: () => ({ ok: true }) });
    assert.equal(result.ok, true);
    assert.equal(records.outcome('p-1'), undefined);
    const [error] = await audit.read({ types: ['error'] });
    assert.match(
      error?.summary ?? '',
      /The rule's record was not updated after this action: this Belay lost the lock/,
    );
  });
});
