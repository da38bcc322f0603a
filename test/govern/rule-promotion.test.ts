import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type DryRunReview, type Policy, policySchema } from '../../src/domain/index.ts';
import { createRulePromotion } from '../../src/govern/rule-promotion.ts';
import {
  createAuditLog,
  createRuleRecordsStore,
  RULE_RECORDS_FILE_NAME,
  StoreError,
} from '../../src/govern/store/index.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { storyPolicyInput } from '../support/story-policy.ts';
import { tempDir } from './store/temp-dir.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const DAY = 86_400_000;
const OPERATOR = 'U0OPER001';
const policy: Policy = policySchema.parse({
  ...storyPolicyInput,
  operators: { users: [OPERATOR], groups: ['S0OPERS01'] },
  rules: [
    {
      name: 'scale-on-latency',
      action: 'scale',
      replicas: 6,
      mode: 'dry-run',
      when: { alert: { name: 'HighLatency' }, namespaceClass: { notIn: ['production-critical'] } },
    },
    {
      name: 'crashloop-restart',
      action: 'restart-pod',
      mode: 'dry-run',
      when: { alert: { name: 'KubePodCrashLooping' }, namespaceClass: { in: ['staging'] } },
    },
  ],
});

async function setup(t: TestContext) {
  const clock = new ManualClock(T0);
  const dir = await tempDir(t);
  const records = await createRuleRecordsStore({ dir });
  const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
  const announced: string[] = [];
  const promotion = createRulePromotion({
    policy,
    records,
    store: { freeze: () => ({ active: false }) },
    audit,
    presenter: { announce: async (text) => void announced.push(text) },
    clock,
    groupsOf: async (user) => (user === 'U0GROUPED' ? ['S0OPERS01'] : []),
  });
  // What the pipeline does for each dry-run verdict, and the humans' answers.
  const reviewed = async (rule: string, answers: boolean[]) => {
    await records.noteDryRun(rule, clock.now().toISOString());
    for (const [i, approve] of answers.entries()) {
      const review: DryRunReview = {
        id: `r-${rule}-${i}`,
        rule,
        incidentId: `i-${i}`,
        wouldHave: 'Dry run — Suggested',
        at: clock.now().toISOString(),
        reviewers: { users: [], groups: [] },
      };
      await records.addReview(review);
      await records.answerReview(review.id, { approve, by: 'U0SRE0001', at: clock.now().toISOString() });
    }
  };
  return { clock, dir, records, audit, promotion, announced, reviewed };
}

const ninety = [...Array(9).fill(true), false] as boolean[];

describe('/remediate promote: refused without a record, allowed with one', () => {
  it('refuses before 7 days in dry-run, shows the record, changes nothing and audits the refusal', async (t) => {
    const { clock, promotion, records, audit, reviewed } = await setup(t);
    await reviewed('scale-on-latency', ninety);
    clock.advance(6 * DAY);
    const result = await promotion.promote({ rule: 'scale-on-latency', mode: 'auto', user: OPERATOR });
    assert.equal(result.ok, false);
    assert.match(result.message, /Rule scale-on-latency: mode dry-run/);
    assert.match(
      result.message,
      /in dry-run: 6 days; 10 would-have actions, 90% would have approved \(9 of 10 reviewed\)/,
    );
    assert.match(result.message, /Not promoted to auto: it has been in dry-run 6 days; promotion needs 7/);
    assert.deepEqual(records.modes(), {});
    const [refused] = await audit.read({ types: ['approval.refused'] });
    assert.match(refused?.summary ?? '', /Promotion of scale-on-latency to auto refused/);
  });

  it('refuses below 90% agreement', async (t) => {
    const { clock, promotion, records, reviewed } = await setup(t);
    await reviewed('scale-on-latency', [...Array(8).fill(true), false, false]);
    clock.advance(8 * DAY);
    const result = await promotion.promote({ rule: 'scale-on-latency', mode: 'suggest', user: OPERATOR });
    assert.equal(result.ok, false);
    assert.match(
      result.message,
      /would have approved 80% of its reviewed actions \(8 of 10\); promotion needs 90%/,
    );
    assert.deepEqual(records.modes(), {});
  });

  it('allows it after 7 days at 90%: the override is in the state (and survives a reopen), announced and audited', async (t) => {
    const { clock, dir, promotion, records, audit, announced, reviewed } = await setup(t);
    await reviewed('scale-on-latency', ninety);
    clock.advance(7 * DAY);
    const result = await promotion.promote({ rule: 'scale-on-latency', mode: 'auto', user: OPERATOR });
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /promoted from dry-run to auto by <@U0OPER001>/);
    assert.deepEqual(records.modes(), { 'scale-on-latency': 'auto' });
    assert.deepEqual((await createRuleRecordsStore({ dir })).modes(), { 'scale-on-latency': 'auto' });
    assert.match(announced.join(), /The policy file still says dry-run/);
    const [promoted] = await audit.read({ types: ['rule.promoted'] });
    assert.equal(promoted?.actor.id, OPERATOR);
    assert.deepEqual(promoted?.data.to, 'auto');
  });

  it('a member of the operators group may promote; an approver who is not an operator may not', async (t) => {
    const { clock, promotion, records, reviewed } = await setup(t);
    await reviewed('scale-on-latency', ninety);
    clock.advance(7 * DAY);
    const refused = await promotion.promote({ rule: 'scale-on-latency', mode: 'auto', user: 'U0DBA0001' });
    assert.equal(refused.ok, false);
    assert.match(
      refused.message,
      /only <@U0OPER001> \(operator\), <!subteam\^S0OPERS01> \(operator\) may promote rules/,
    );
    assert.deepEqual(records.modes(), {});
    const allowed = await promotion.promote({
      rule: 'scale-on-latency',
      mode: 'approval',
      user: 'U0GROUPED',
    });
    assert.equal(allowed.ok, true, allowed.message);
  });

  it("refuses auto for a rule whose action cannot be reverted, with the policy file's own words", async (t) => {
    const { clock, promotion, reviewed } = await setup(t);
    await reviewed('crashloop-restart', ninety);
    clock.advance(8 * DAY);
    const result = await promotion.promote({ rule: 'crashloop-restart', mode: 'auto', user: OPERATOR });
    assert.equal(result.ok, false);
    assert.match(result.message, /auto is refused for restart-pod: it cannot be reverted/);
    const suggest = await promotion.promote({ rule: 'crashloop-restart', mode: 'suggest', user: OPERATOR });
    assert.equal(suggest.ok, true, suggest.message);
  });

  it('names the closest rule when the name is wrong', async (t) => {
    const { promotion } = await setup(t);
    const result = await promotion.promote({ rule: 'scale-on-latncy', mode: 'auto', user: OPERATOR });
    assert.equal(result.ok, false);
    assert.match(
      result.message,
      /There is no rule "scale-on-latncy" in the policy; did you mean scale-on-latency\?/,
    );
  });

  it('shows the replay summary through its seam when one is wired', async (t) => {
    const clock = new ManualClock(T0);
    const dir = await tempDir(t);
    const promotion = createRulePromotion({
      policy,
      records: await createRuleRecordsStore({ dir }),
      store: { freeze: () => ({ active: false }) },
      audit: await createAuditLog({ dir: join(dir, 'audit'), clock }),
      presenter: { announce: async () => {} },
      clock,
      groupsOf: async () => [],
      replaySummary: async (rule) => `Replay of ${rule} over 7 days: 3 would-be actions, 0 near misses.`,
    });
    const result = await promotion.promote({ rule: 'scale-on-latency', mode: 'auto', user: OPERATOR });
    assert.match(result.message, /Replay of scale-on-latency over 7 days: 3 would-be actions/);
  });
});

describe('the rule records file', () => {
  it('refuses an invalid record and changes nothing', async (t) => {
    const { records } = await setup(t);
    await assert.rejects(
      records.setMode({
        rule: 'scale-on-latency',
        mode: 'sometimes' as 'auto',
        previous: 'dry-run',
        change: 'promoted',
        by: { type: 'user', id: OPERATOR },
        at: T0,
        why: 'x',
      }),
      (error: unknown) => error instanceof StoreError && error.code === 'invalid-record',
    );
    assert.deepEqual(records.modes(), {});
  });

  it('keeps the first answer to a review; a second click is told who answered', async (t) => {
    const { records } = await setup(t);
    const review: DryRunReview = {
      id: 'r-1',
      rule: 'scale-on-latency',
      incidentId: 'i-1',
      wouldHave: 'Dry run',
      at: T0,
      reviewers: { users: [], groups: [] },
    };
    await records.addReview(review);
    const first = await records.answerReview('r-1', { approve: true, by: 'U0A', at: T0 });
    const second = await records.answerReview('r-1', { approve: false, by: 'U0B', at: T0 });
    assert.equal(first.ok, true);
    assert.equal(second.ok, false);
    assert.equal(records.review('r-1')?.answer?.by, 'U0A');
    await assert.rejects(records.addReview(review), /already exists/);
  });

  it('a damaged file stops startup with what to do, and is left as it was', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, RULE_RECORDS_FILE_NAME), '{"schemaVersion":1,"modes":{"x":{}}}');
    await assert.rejects(createRuleRecordsStore({ dir }), /is not valid[\s\S]*move it aside/);
    await writeFile(join(dir, RULE_RECORDS_FILE_NAME), '{not json');
    await assert.rejects(createRuleRecordsStore({ dir }), /cannot be read.*move it aside/);
  });
});
