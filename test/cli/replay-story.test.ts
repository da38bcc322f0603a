// The seed's night, out of a replay: a week of real Prometheus history (promtool-built blocks served by
// Debian's prometheus on 127.0.0.1) run through `belay replay` with the naive rule, with and without the
// backup window in the policy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReplayReport } from '../../src/govern/replay/index.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { type StoryHistory, storyHistory } from '../fakes/story-history.ts';
import { naivePolicy, replay } from './replay-support.ts';

const END = Date.UTC(2026, 2, 14, 14, 0);
const UNTIL = new Date(END).toISOString();

describe('belay replay: the 02:17 story from a week of real Prometheus history', () => {
  let history: StoryHistory;
  let prometheus: RunningPrometheus;
  before(async () => {
    history = storyHistory({ endMs: END });
    prometheus = await startPrometheusWithHistory(history);
  });
  after(() => prometheus?.stop());

  it('without a window: seven would-be restarts of postgres-0 at ~02:0x, the rule matching every night', async () => {
    const run = await replay(naivePolicy(prometheus.url, false), [
      '--since',
      '7d',
      '--until',
      UNTIL,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReplayReport;
    const rule = report.summary.rules.find((r) => r.rule === 'naive-memory-restart');
    assert.ok(rule);
    assert.equal(rule.triggered, 7);
    assert.equal(rule.matched, 7);
    // databases is production-critical and postgres-0 a StatefulSet's pod: an approver is asked, every night.
    assert.deepEqual(rule.wouldAct, { auto: 0, suggest: 0, approval: 7 });
    assert.equal(rule.blocked, 0);
    const restarts = report.episodes.flatMap((e) =>
      e.decisions.filter((d) => d.kind === 'would-act').map((d) => ({ at: e.decidedAt, action: d.action })),
    );
    assert.equal(restarts.length, 7);
    const nights = new Set<string>();
    for (const r of restarts) {
      assert.equal(r.action, 'restart pod databases/postgres-0');
      assert.match(r.at, /T02:0\d:/, `decided at ${r.at}`);
      nights.add(r.at.slice(0, 10));
    }
    assert.equal(nights.size, 7);
    // Each would-be restart hit the nightly rise nobody configured, while the backup CronJob ran.
    assert.equal(rule.inUnconfiguredPattern, 7);
    assert.equal(report.summary.nearMisses.length, 7);
    for (const miss of report.summary.nearMisses) {
      assert.equal(miss.what, 'would have been put to a human (approval)');
      assert.equal(miss.pattern?.covered, false);
      assert.deepEqual(miss.pattern?.cronJob, { namespace: 'databases', name: 'postgres-backup' });
      assert.match(
        miss.pattern?.description ?? '',
        /^postgres-0's memory rises like this every night 0[12]:\d\d–02:\d\d UTC \(7 of the last 7 nights\), while CronJob postgres-backup runs$/,
      );
    }
    // Each episode says what the replay saw then and what it could not rebuild.
    for (const e of report.episodes) {
      assert.ok(
        e.context.some((c) => c.startsWith('CronJob postgres-backup was running')),
        e.context.join('; '),
      );
      assert.ok(e.gaps.some((g) => g.startsWith('namespace labels: not in history')));
    }
  });

  it('with the backup window configured: all seven are blocked by it, and listed first as near misses', async () => {
    const run = await replay(naivePolicy(prometheus.url, true), [
      '--since',
      '7d',
      '--until',
      UNTIL,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReplayReport;
    const rule = report.summary.rules[0];
    assert.ok(rule);
    assert.equal(rule.matched, 7);
    assert.equal(rule.blocked, 7);
    assert.deepEqual(rule.wouldAct, { auto: 0, suggest: 0, approval: 0 });
    assert.deepEqual(rule.blockedBy, [
      { reason: 'window:postgres-nightly-backup', kind: 'window', count: 7 },
    ]);
    assert.equal(rule.nearMisses, 7);
    assert.equal(report.summary.nearMisses.length, 7);
    for (const miss of report.summary.nearMisses) {
      assert.equal(miss.what, 'blocked by window:postgres-nightly-backup');
      assert.match(miss.at, /T02:0\d:/);
      // The pattern is still there, and now a window covers it.
      assert.equal(miss.pattern?.covered, true);
    }
    assert.equal(rule.inUnconfiguredPattern, 0);
  });

  it('prints near misses first, then the table per rule, then each night', async () => {
    const run = await replay(naivePolicy(prometheus.url, true), ['--since', '7d', '--until', UNTIL]);
    assert.equal(run.code, 0, run.stderr);
    const text = run.stdout;
    const near = text.indexOf('Near misses (7)');
    const table = text.indexOf('would act (auto/suggest/approval)');
    const episodes = text.indexOf('Episodes');
    assert.ok(near >= 0 && near < table && table < episodes, text);
    assert.match(text, /blocked by: window:postgres-nightly-backup ×7/);
    assert.equal(text.match(/▶ 2026-03-\d\d 02:0\d UTC {2}PodMemoryHigh databases\/postgres-0/g)?.length, 7);
  });
});
