import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide/index.ts';
import {
  describePattern,
  factsSchema,
  type Policy,
  policySchema,
  type RecurringPattern,
  suggestWindow,
} from '../../src/domain/index.ts';
import { alert, storyPolicyInput } from '../support/story-policy.ts';

// Invariant 8: a pattern that repeats every night is a caution until someone names it.
const policy: Policy = policySchema.parse({
  ...storyPolicyInput,
  rules: [
    {
      name: 'scale-on-latency',
      action: 'scale',
      replicas: 6,
      mode: 'auto',
      when: { alert: { name: 'HighLatency' }, namespaceClass: { notIn: ['production-critical'] } },
    },
  ],
});
const scaleWeb = {
  kind: 'scale',
  target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
  replicas: 6,
};
const pattern: RecurringPattern = {
  target: { namespace: 'shop', workload: { kind: 'Deployment', name: 'web' } },
  signal: 'cpu',
  period: 'daily',
  startMinute: 120,
  endMinute: 165,
  timeZone: 'UTC',
  daysSeen: 7,
  daysExamined: 7,
  baseline: 0.2,
  peak: 1.8,
  coincidingCronJob: { namespace: 'shop', name: 'search-reindex' },
};
const caution = { pattern, description: describePattern(pattern), suggestedWindow: suggestWindow(pattern) };
const facts = (extra: Record<string, unknown> = {}) =>
  factsSchema.parse({
    cluster: 'default',
    namespace: 'shop',
    owner: { kind: 'Deployment', name: 'web' },
    approvedBefore: ['scale@Deployment'],
    ...extra,
  });
const at = (iso: string) => new Date(iso);
const candidate = {
  request: scaleWeb,
  origin: { type: 'rule', rule: 'scale-on-latency' } as const,
  alert: alert('HighLatency', { namespace: 'shop', deployment: 'web' }, '2026-03-14T02:10:00Z'),
};

describe('decide: a recurring pattern no window covers', () => {
  it('holds an auto rule back for a human, and says why in plain words with the window to add', () => {
    const verdict = decide(
      policy,
      candidate,
      facts({ recurringPattern: caution }),
      at('2026-03-14T02:17:00Z'),
    );
    assert.equal(verdict.disposition, 'suggest');
    const reason = verdict.reasons.find((r) => r.rule === 'pattern:search-reindex');
    assert.ok(reason, JSON.stringify(verdict.reasons));
    assert.equal(reason.effect, 'suggest');
    assert.equal(
      reason.message,
      "web's cpu rises like this every night 02:00–02:45 UTC (7 of the last 7 nights), while CronJob search-reindex runs: " +
        'this looks expected. Consider a window: search-reindex: maintenance, schedule "0 2 * * *", duration 45m, timezone UTC, ' +
        'namespaces [shop], names [web]. Until one covers it, Belay does not act on its own here.',
    );
  });

  it('lets the auto rule run without the pattern, and outside the pattern’s hours', () => {
    assert.equal(decide(policy, candidate, facts(), at('2026-03-14T02:17:00Z')).disposition, 'auto');
    // Facts gathered at 02:40 and judged again at 03:00: the pattern is over, so it no longer holds.
    assert.equal(
      decide(policy, candidate, facts({ recurringPattern: caution }), at('2026-03-14T03:00:00Z')).disposition,
      'auto',
    );
  });

  it('never loosens a stricter verdict: a window still blocks', () => {
    const window = {
      name: 'reindex',
      kind: 'maintenance',
      start: '2026-03-14T02:00:00Z',
      end: '2026-03-14T03:00:00Z',
      blocks: 'all',
      source: { type: 'config', ref: 'belay.yaml windows/reindex' },
    };
    const verdict = decide(
      policy,
      candidate,
      facts({ recurringPattern: caution, windows: [window] }),
      at('2026-03-14T02:17:00Z'),
    );
    assert.equal(verdict.disposition, 'blocked');
  });

  it('refuses a malformed pattern in the facts', () => {
    assert.throws(() =>
      facts({ recurringPattern: { ...caution, pattern: { ...pattern, startMinute: 1440 } } }),
    );
    assert.throws(() => facts({ recurringPattern: { ...caution, extra: true } }));
  });
});
