import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, evaluateAlert } from '../../src/decide/index.ts';
import { factsSchema, type Policy, policySchema } from '../../src/domain/index.ts';
import { alert, storyPolicyInput } from '../support/story-policy.ts';

const now = new Date('2026-03-14T10:00:00Z');
const policy: Policy = policySchema.parse({
  ...storyPolicyInput,
  rules: [
    {
      name: 'scale-on-latency',
      action: 'scale',
      replicas: 6,
      mode: 'dry-run',
      when: { alert: { name: 'HighLatency' }, namespaceClass: { notIn: ['production-critical'] } },
    },
  ],
});
const latency = alert('HighLatency', { namespace: 'shop', deployment: 'web' }, '2026-03-14T09:55:00Z');
const facts = (ruleModes?: Record<string, 'dry-run' | 'suggest' | 'approval' | 'auto'>) =>
  factsSchema.parse({
    cluster: 'default',
    namespace: 'shop',
    owner: { kind: 'Deployment', name: 'web' },
    approvedBefore: ['scale@Deployment'],
    ...(ruleModes ? { ruleModes } : {}),
  });
const scaleWeb = {
  kind: 'scale',
  target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
  replicas: 6,
};
const candidate = {
  request: scaleWeb,
  origin: { type: 'rule', rule: 'scale-on-latency' },
  alert: latency,
} as const;

describe('decide reads a promoted or demoted mode from the facts', () => {
  it("the policy file's mode without an override: a dry run", () => {
    const verdict = decide(policy, candidate, facts(), now);
    assert.equal(verdict.dryRun, true);
    assert.equal(verdict.rule?.mode, 'dry-run');
  });

  it('promoted to auto: it runs on its own, and the verdict names the mode in force', () => {
    const verdict = decide(policy, candidate, facts({ 'scale-on-latency': 'auto' }), now);
    assert.equal(verdict.dryRun, false);
    assert.equal(verdict.disposition, 'auto');
    assert.equal(verdict.rule?.mode, 'auto');
  });

  it('demoted to suggest: a human decides', () => {
    const verdict = decide(policy, candidate, facts({ 'scale-on-latency': 'suggest' }), now);
    assert.equal(verdict.disposition, 'suggest');
    assert.equal(verdict.dryRun, false);
  });

  it('evaluateAlert treats a promoted dry-run rule as live', () => {
    const [dry] = evaluateAlert(policy, latency, facts(), now);
    const [live] = evaluateAlert(policy, latency, facts({ 'scale-on-latency': 'approval' }), now);
    assert.ok(dry && 'verdict' in dry && dry.verdict.dryRun);
    assert.ok(live && 'verdict' in live && !live.verdict.dryRun && live.verdict.disposition === 'approval');
  });

  it('an override of a rule no longer in the policy changes nothing', () => {
    const verdict = decide(policy, candidate, facts({ 'gone-rule': 'auto' }), now);
    assert.equal(verdict.dryRun, true);
  });
});
