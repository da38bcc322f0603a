// The replay's own would-be actions fill its rate ledger: the second restart of a pod within the hour is
// blocked by the limit, and that is a near miss. Facts come from a double that builds what history would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsSchema, policySchema, type RecurringPattern } from '../../../src/domain/index.ts';
import {
  type EpisodesResult,
  type ReplayEpisode,
  type ReplayHistory,
  runReplay,
} from '../../../src/govern/replay/index.ts';
import { alert, storyPolicyInput } from '../../support/story-policy.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 9, 0);

function episode(pod: string, minutes: number): ReplayEpisode {
  const startsAt = new Date(T0 + minutes * MIN).toISOString();
  return {
    alert: alert('KubePodCrashLooping', { namespace: 'staging', pod }, startsAt),
    startMs: T0 + minutes * MIN,
    endMs: T0 + (minutes + 5) * MIN,
  };
}

/** History that holds exactly these episodes, and staging pods of Deployment api approved before. */
function history(episodes: ReplayEpisode[]): ReplayHistory {
  return {
    source: 'prometheus',
    origin: 'a test history',
    episodes: async (period): Promise<EpisodesResult> => ({
      ok: true,
      episodes: episodes.filter((e) => e.startMs >= period.sinceMs && e.startMs < period.untilMs),
    }),
    factsAt: async (e) => ({
      facts: factsSchema.parse({
        cluster: 'default',
        namespace: 'staging',
        pod: { name: e.alert.labels.pod, labels: {} },
        owner: { kind: 'Deployment', name: 'api' },
        approvedBefore: ['restart-pod@Pod of Deployment', 'scale@Deployment'],
      }),
      gaps: [],
      context: [],
    }),
    assumptions: [],
  };
}

const policy = policySchema.parse(storyPolicyInput);
const period = { sinceMs: T0 - 60 * MIN, untilMs: T0 + 24 * 60 * MIN };

describe('replay: the rate ledger its own would-be actions fill', () => {
  it('a second restart of the same pod within the hour is blocked by the pod limit: a near miss', async () => {
    const result = await runReplay(
      { policy, history: history([episode('api-1', 40), episode('api-1', 0), episode('api-1', 70)]) },
      { ...period, rule: 'crashloop-restart' },
    );
    assert.ok(result.ok);
    const decisions = result.report.episodes.map((e) => [e.startedAt.slice(11, 16), e.decisions[0]?.kind]);
    // In time order, whatever order history gave them; 70 min after the first restart the slot is free again.
    assert.deepEqual(decisions, [
      ['09:00', 'would-act'],
      ['09:40', 'blocked'],
      ['10:10', 'would-act'],
    ]);
    const [rule] = result.report.summary.rules;
    assert.equal(rule?.blocked, 1);
    assert.deepEqual(rule?.blockedBy, [{ reason: 'rate-limit:pod', kind: 'rate limit', count: 1 }]);
    assert.deepEqual(
      result.report.summary.nearMisses.map((m) => [m.at.slice(11, 16), m.what]),
      [['09:40', 'blocked by rate-limit:pod']],
    );
    const blocked = result.report.episodes[1]?.decisions[0];
    assert.match(
      blocked?.headline ?? '',
      /Rate limit reached: 1 per pod per 60 min for default\/staging\/api-1/,
    );
  });

  it('four pods of a namespace within the hour: the fourth is held by the namespace limit', async () => {
    const result = await runReplay(
      {
        policy,
        history: history([
          episode('api-1', 0),
          episode('api-2', 5),
          episode('api-3', 10),
          episode('api-4', 15),
        ]),
      },
      period,
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.report.episodes.map((e) => e.decisions.map((d) => d.kind)),
      [['would-act'], ['would-act'], ['would-act'], ['blocked']],
    );
    assert.deepEqual(result.report.summary.rules.find((r) => r.rule === 'crashloop-restart')?.blockedBy, [
      { reason: 'rate-limit:namespace', kind: 'rate limit', count: 1 },
    ]);
    // Every replayed rule is listed, the one that never fired too.
    assert.equal(result.report.summary.rules.find((r) => r.rule === 'memory-pressure-restart')?.triggered, 0);
  });

  it('hands each episode to the outcome seam and reports what really happened', async () => {
    const result = await runReplay(
      {
        policy,
        history: history([episode('api-1', 0)]),
        pastOutcome: (e) => ({
          summary: `Belay restarted ${e.alert.labels.pod}; the alert resolved 4 min later`,
        }),
      },
      period,
    );
    assert.ok(result.ok);
    assert.equal(
      result.report.episodes[0]?.pastOutcome?.summary,
      'Belay restarted api-1; the alert resolved 4 min later',
    );
  });

  it('an auto rule on a target inside a pattern no window covers is held back, as the live bot holds it', async () => {
    const autoPolicy = policySchema.parse({
      ...storyPolicyInput,
      rules: [
        {
          name: 'scale-on-crashloop',
          action: 'scale',
          replicas: 3,
          mode: 'auto',
          when: {
            alert: { name: 'KubePodCrashLooping' },
            namespaceClass: { notIn: ['production-critical'] },
          },
        },
      ],
    });
    const pattern: RecurringPattern = {
      target: { namespace: 'staging', workload: { kind: 'Deployment', name: 'api' } },
      signal: 'restarts',
      period: 'daily',
      startMinute: 8 * 60 + 30,
      endMinute: 10 * 60,
      timeZone: 'UTC',
      daysSeen: 7,
      daysExamined: 7,
      baseline: 0,
      peak: 3,
    };
    const run = (patterns: readonly RecurringPattern[]) =>
      runReplay(
        {
          policy: autoPolicy,
          history: history([episode('api-1', 0)]),
          patterns: async () => ({ ok: true, patterns }),
        },
        period,
      );
    const without = await run([]);
    assert.ok(without.ok);
    assert.equal(without.report.episodes[0]?.decisions[0]?.disposition, 'auto');
    const inside = await run([pattern]);
    assert.ok(inside.ok);
    const decision = inside.report.episodes[0]?.decisions[0];
    assert.equal(decision?.disposition, 'suggest');
    assert.match(
      decision?.headline ?? '',
      /api's restarts rises like this every day 08:30–10:00 UTC \(7 of the last 7 days\): this looks expected/,
    );
    assert.deepEqual(decision?.pattern && { covered: decision.pattern.covered }, { covered: false });
    assert.equal(inside.report.summary.nearMisses[0]?.what, 'would have been put to a human (suggest)');
  });

  it('patterns that cannot be read leave the replay standing, and the report says why', async () => {
    const result = await runReplay(
      {
        policy,
        history: history([episode('api-1', 0)]),
        patterns: async () => ({ ok: false, error: 'Prometheus answered 503 unavailable' }),
      },
      period,
    );
    assert.ok(result.ok);
    assert.equal(result.report.episodes[0]?.decisions[0]?.kind, 'would-act');
    assert.equal(result.report.episodes[0]?.decisions[0]?.pattern, undefined);
    assert.ok(
      result.report.assumptions.includes(
        'Recurring patterns could not be looked for: Prometheus answered 503 unavailable',
      ),
    );
  });

  it('a period that ends before it starts, or a policy without the rule: refused before history is read', async () => {
    let read = 0;
    const counting: ReplayHistory = {
      ...history([]),
      episodes: async () => {
        read += 1;
        return { ok: true, episodes: [] };
      },
    };
    const backwards = await runReplay({ policy, history: counting }, { sinceMs: T0, untilMs: T0 - 1 });
    assert.deepEqual(backwards.ok ? undefined : backwards.problem, 'request');
    const unknown = await runReplay({ policy, history: counting }, { ...period, rule: 'nope' });
    assert.ok(!unknown.ok);
    assert.match(unknown.message, /no rule "nope".*Its rules: memory-pressure-restart, crashloop-restart\./);
    assert.equal(read, 0);
  });
});
