import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ReplayAsk,
  type ReplayResult,
  type RuleReplay,
  ruleReplaySummary,
} from '../../../src/govern/replay/index.ts';

// /remediate promote shows the rule's last week, replayed: this is the line it shows.
const story: RuleReplay = {
  rule: 'memory-restart',
  mode: 'dry-run',
  triggered: 7,
  matched: 7,
  wouldAct: { auto: 0, suggest: 0, approval: 7 },
  blocked: 7,
  forbidden: 0,
  blockedBy: [{ reason: 'window:postgres-nightly-backup', kind: 'window', count: 7 }],
  approvalBy: [],
  unmet: [],
  nearMisses: 7,
  inUnconfiguredPattern: 0,
};

const answering =
  (result: ReplayResult, asked: ReplayAsk[] = []) =>
  async (ask: ReplayAsk) => {
    asked.push(ask);
    return result;
  };

const report = (rules: RuleReplay[]): ReplayResult => ({
  ok: true,
  report: {
    from: '2026-03-07T14:00:00Z',
    to: '2026-03-14T14:00:00Z',
    source: 'prometheus',
    origin: 'http://127.0.0.1:9090',
    rules: rules.map((r) => r.rule),
    episodes: [],
    summary: { rules, nearMisses: [], untriggered: 0 },
    assumptions: [],
  },
});

describe('ruleReplaySummary', () => {
  it("replays the rule's last seven days and says what it would have done and what stopped it", async () => {
    const asked: ReplayAsk[] = [];
    const line = await ruleReplaySummary(answering(report([story]), asked), 'memory-restart');
    assert.equal(asked[0]?.rule, 'memory-restart');
    assert.equal(asked[0]?.periodMs, 7 * 24 * 3_600_000);
    assert.equal(
      line,
      'Replay of the last 7 days: triggered 7, matched 7, would have acted 7, blocked 7 (window:postgres-nightly-backup ×7); 7 near misses.',
    );
  });

  it('says when nothing triggered the rule', async () => {
    const line = await ruleReplaySummary(answering(report([{ ...story, triggered: 0 }])), 'memory-restart');
    assert.equal(line, 'Replay of the last 7 days: no alert triggered this rule.');
  });

  it('says why when the replay cannot run, and when it throws', async () => {
    const failed = await ruleReplaySummary(
      answering({ ok: false, problem: 'history', message: 'Prometheus at http://prom:9090 did not answer' }),
      'memory-restart',
    );
    assert.match(failed, /could not run: Prometheus at http:\/\/prom:9090 did not answer/);
    const thrown = await ruleReplaySummary(async () => {
      throw new Error('socket hang up');
    }, 'memory-restart');
    assert.match(thrown, /could not run: socket hang up/);
  });
});
