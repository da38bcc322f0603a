import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promotionRefusals, summarizeRuleRecord } from '../../src/decide/index.ts';
import type { DryRunReview, ModeOverride } from '../../src/domain/index.ts';

const NOW = new Date('2026-03-20T10:00:00Z');
const SETTINGS = { minDays: 7, minAgreement: 0.9 };
const review = (i: number, approve: boolean | undefined, rule = 'crashloop-restart'): DryRunReview => ({
  id: `r-${i}`,
  rule,
  incidentId: `i-${i}`,
  wouldHave: 'Dry run — Suggested: restart pod staging/api-0',
  at: '2026-03-12T10:00:00Z',
  reviewers: { users: [], groups: [] },
  ...(approve === undefined ? {} : { answer: { approve, by: 'U0SRE0001', at: '2026-03-12T10:05:00Z' } }),
});
const record = (input: {
  since?: string;
  reviews?: DryRunReview[];
  reverted?: string[];
  override?: ModeOverride;
}) =>
  summarizeRuleRecord({
    rule: 'crashloop-restart',
    fileMode: 'dry-run',
    override: input.override,
    dryRunSince: input.since,
    reviews: input.reviews ?? [],
    outcomes: (input.reverted ?? []).map((executedAt) => ({ status: 'fixed', reverted: true, executedAt })),
    now: NOW,
  });
const nineOfTen = [...Array.from({ length: 9 }, (_, i) => review(i, true)), review(9, false)];

describe('promotion: a rule earns its mode with a record', () => {
  it('counts days in dry-run, reviews, agreement, and ignores other rules and unanswered reviews', () => {
    const summary = record({
      since: '2026-03-12T09:00:00Z',
      reviews: [...nineOfTen, review(10, undefined), review(11, false, 'other-rule')],
    });
    assert.equal(summary.daysInDryRun, 8);
    assert.equal(summary.wouldHave, 11);
    assert.equal(summary.reviewed, 10);
    assert.equal(summary.approved, 9);
    assert.equal(summary.agreement, 0.9);
  });

  it('allows it after 7 days with 90% agreement and nothing reverted', () => {
    const summary = record({ since: '2026-03-13T10:00:00Z', reviews: nineOfTen });
    assert.deepEqual(promotionRefusals(summary, 'auto', SETTINGS), []);
  });

  it('refuses before 7 days, saying how long it has been', () => {
    const summary = record({ since: '2026-03-14T10:00:01Z', reviews: nineOfTen });
    assert.deepEqual(promotionRefusals(summary, 'auto', SETTINGS), [
      'it has been in dry-run 5 days; promotion needs 7',
    ]);
  });

  it('refuses below the agreement, with the numbers', () => {
    const summary = record({
      since: '2026-03-01T10:00:00Z',
      reviews: [...nineOfTen.slice(0, 8), review(8, false), review(9, false)],
    });
    assert.deepEqual(promotionRefusals(summary, 'suggest', SETTINGS), [
      'people would have approved 80% of its reviewed actions (8 of 10); promotion needs 90%',
    ]);
  });

  it('refuses with nothing reviewed, never run in dry-run, or an action reverted', () => {
    assert.match(
      promotionRefusals(record({ since: '2026-03-01T10:00:00Z' }), 'auto', SETTINGS).join(),
      /nobody has reviewed/,
    );
    assert.match(
      promotionRefusals(record({ reviews: nineOfTen }), 'auto', SETTINGS).join(),
      /never run in dry-run/,
    );
    const reverted = record({
      since: '2026-03-01T10:00:00Z',
      reviews: nineOfTen,
      reverted: ['2026-03-15T10:00:00Z'],
    });
    assert.deepEqual(promotionRefusals(reverted, 'auto', SETTINGS), ['1 of its actions was reverted']);
  });

  it('counts reverts only since the mode last changed: a demotion starts the record afresh', () => {
    const override: ModeOverride = {
      rule: 'crashloop-restart',
      mode: 'suggest',
      previous: 'auto',
      change: 'demoted',
      by: { type: 'bot', id: 'belay' },
      at: '2026-03-16T00:00:00Z',
      why: 'its automatic action was reverted',
    };
    const summary = record({
      since: '2026-03-01T10:00:00Z',
      reviews: nineOfTen,
      reverted: ['2026-03-15T10:00:00Z'],
      override,
    });
    assert.equal(summary.reverts, 0);
    assert.equal(summary.mode, 'suggest');
    assert.deepEqual(promotionRefusals(summary, 'auto', SETTINGS), []);
  });

  it('refuses the mode it already runs in', () => {
    const summary = record({ since: '2026-03-01T10:00:00Z', reviews: nineOfTen });
    assert.deepEqual(promotionRefusals(summary, 'dry-run', SETTINGS), [
      'rule crashloop-restart already runs in dry-run',
    ]);
  });
});
