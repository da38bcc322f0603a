// `/remediate replay [RULE] [7d]`: parsed strictly, run through the same replay as `belay replay` (real
// Prometheus history), and answered with a Block Kit summary that stays within Slack's limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeReplay } from '../../src/compose/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { ReplayReport } from '../../src/govern/replay/index.ts';
import { replayUseCase, withReplay } from '../../src/govern/replay/index.ts';
import { replayMessage } from '../../src/slack/blocks/index.ts';
import { parseRemediateCommand } from '../../src/slack/remediate-command.ts';
import { runCommand } from '../../src/slack/run-command.ts';
import { naivePolicy } from '../cli/replay-support.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { ScriptedRemediationService } from '../fakes/remediation-service.ts';
import { storyHistory } from '../fakes/story-history.ts';
import { blockKitViolations } from '../support/block-kit-limits.ts';

const DAY = 86_400_000;
const END = Date.UTC(2026, 2, 14, 14, 0);
const ctx = { user: 'U0ONCALL1', channel: 'C0INCIDENTS', now: new Date(END) };

describe('/remediate replay: what it asks for', () => {
  const ok: [string, unknown][] = [
    ['replay', { type: 'replay', periodMs: 7 * DAY }],
    ['replay 3d', { type: 'replay', periodMs: 3 * DAY }],
    ['replay naive-memory-restart', { type: 'replay', periodMs: 7 * DAY, rule: 'naive-memory-restart' }],
    [
      'replay 36h naive-memory-restart',
      { type: 'replay', periodMs: 36 * 3_600_000, rule: 'naive-memory-restart' },
    ],
  ];
  for (const [text, command] of ok)
    it(`"${text}"`, () => assert.deepEqual(parseRemediateCommand(text), { ok: true, command }));

  const refused: [string, RegExp][] = [
    ['replay 7d 3d', /Give one period\./],
    ['replay a b', /Give one rule, or none for every rule\./],
    [
      'replay 90d',
      /"90d" is outside what a replay in Slack covers \(up to 30d; run `belay replay` for longer\)/,
    ],
    ['replay 0s', /"0s" is outside what a replay in Slack covers/],
    ['replay Rule/One', /"Rule\/One" is neither a rule name nor a period such as 7d\./],
  ];
  for (const [text, message] of refused)
    it(`refuses "${text}", saying how to ask`, () => {
      const parsed = parseRemediateCommand(text);
      assert.ok(!parsed.ok);
      assert.match(parsed.message, message);
      assert.match(parsed.message, /Say `\/remediate replay \[rule\] \[7d\]`/);
    });
});

describe('/remediate replay against a week of real Prometheus history', () => {
  let prometheus: RunningPrometheus;
  before(async () => {
    prometheus = await startPrometheusWithHistory(storyHistory({ endMs: END }));
  });
  after(() => prometheus?.stop());

  const serviceFor = (withWindow: boolean) => {
    const loaded = loadConfig(naivePolicy(prometheus.url, withWindow), 'belay.yaml');
    assert.ok(loaded.ok);
    const replay = replayUseCase(composeReplay({ config: loaded.config }), { now: () => new Date(END) });
    return withReplay(new ScriptedRemediationService(), replay);
  };

  it('answers privately with the near misses first: seven restarts inside the nightly pattern', async () => {
    const command = parseRemediateCommand('replay naive-memory-restart 7d');
    assert.ok(command.ok);
    const reply = await runCommand(serviceFor(false), command.command, ctx);
    assert.equal(reply.responseType, 'ephemeral');
    assert.deepEqual(blockKitViolations(reply), []);
    const text = JSON.stringify(reply.blocks);
    assert.match(text, /Near misses \(7\)/);
    assert.equal(text.match(/no window covers a recurring pattern/g)?.length, 7);
    assert.match(text, /while CronJob postgres-backup runs/);
    assert.match(reply.text, /^Replay of rule naive-memory-restart over the last 7d: 7 near misses/);
  });

  it('with the window configured: the rule line says all seven were blocked by it', async () => {
    const command = parseRemediateCommand('replay 7d');
    assert.ok(command.ok);
    const reply = await runCommand(serviceFor(true), command.command, ctx);
    assert.deepEqual(blockKitViolations(reply), []);
    assert.match(JSON.stringify(reply.blocks), /blocked 7 by `window:postgres-nightly-backup` ×7/);
  });

  it('an unknown rule is refused with the rules there are, and nothing is replayed', async () => {
    const command = parseRemediateCommand('replay memory-restart');
    assert.ok(command.ok);
    const reply = await runCommand(serviceFor(false), command.command, ctx);
    assert.match(reply.text, /The policy has no rule "memory-restart".*Its rules: naive-memory-restart\./);
  });
});

describe('the replay summary stays within Block Kit limits however much happened', () => {
  it('500 near misses and 40 rules with long names: cut, and said so', () => {
    const long = 'x'.repeat(60);
    const report: ReplayReport = {
      from: '2026-02-12T14:00:00.000Z',
      to: '2026-03-14T14:00:00.000Z',
      source: 'prometheus',
      origin: 'Prometheus at http://prometheus:9090',
      rules: Array.from({ length: 40 }, (_, i) => `rule-${i}-${long}`),
      episodes: [],
      summary: {
        untriggered: 0,
        rules: Array.from({ length: 40 }, (_, i) => ({
          rule: `rule-${i}-${long}`,
          mode: 'suggest' as const,
          triggered: 500,
          matched: 500,
          wouldAct: { auto: 0, suggest: 250, approval: 0 },
          blocked: 250,
          forbidden: 0,
          blockedBy: Array.from({ length: 20 }, (_, j) => ({
            reason: `window:${long}-${j}`,
            kind: 'window' as const,
            count: 12,
          })),
          approvalBy: [],
          unmet: [],
          nearMisses: 250,
          inUnconfiguredPattern: 250,
        })),
        nearMisses: Array.from({ length: 500 }, (_, i) => ({
          at: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
          rule: `rule-${i % 40}-${long}`,
          target: `ns/${long}`,
          action: `restart pod ns/${long}`,
          what: `blocked by window:${long}`,
          pattern: {
            description: `${long}'s memory rises like this every night ${'y'.repeat(300)}`,
            covered: false,
          },
        })),
      },
      assumptions: Array.from({ length: 12 }, () => 'z'.repeat(3000)),
    };
    const reply = replayMessage(report);
    assert.deepEqual(blockKitViolations(reply), []);
    assert.match(JSON.stringify(reply.blocks), /and \d+ more: `belay replay` lists them all/);
  });

  it('without replay wired in, the command says so instead of failing', async () => {
    const command = parseRemediateCommand('replay');
    assert.ok(command.ok);
    const reply = await runCommand(new ScriptedRemediationService(), command.command, ctx);
    assert.match(reply.text, /This Belay cannot replay/);
  });
});
