// A backup CronJob that opts in (belay.io/backup-for) is a window in the replay as it is in the live bot:
// its running Job blocks the restart, found from kube-state-metrics history by the same code that reads the
// cluster's CronJobs and Jobs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReplayReport } from '../../src/govern/replay/index.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { backupOptInSeries } from '../fakes/story-backup-opt-in.ts';
import { storyHistory } from '../fakes/story-history.ts';
import { naivePolicy, replay } from './replay-support.ts';

const END = Date.UTC(2026, 2, 14, 14, 0);

describe('belay replay: a backup CronJob that opted in, from history', () => {
  let prometheus: RunningPrometheus;
  before(async () => {
    const history = storyHistory({ endMs: END });
    prometheus = await startPrometheusWithHistory({
      key: `${history.key}-backup-opt-in`,
      series: [...history.series, ...backupOptInSeries()],
      span: history.span,
    });
  });
  after(() => prometheus?.stop());

  it('blocks each night by the running backup Job, with no window in the policy file', async () => {
    const run = await replay(naivePolicy(prometheus.url, false), [
      '--since',
      '7d',
      '--until',
      new Date(END).toISOString(),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReplayReport;
    const [rule] = report.summary.rules;
    assert.equal(rule?.blocked, 7);
    assert.equal(rule?.nearMisses, 7);
    for (const episode of report.episodes) {
      const [decision] = episode.decisions;
      assert.equal(decision?.kind, 'blocked');
      const job = decision?.blockedBy.find((b) =>
        b.rule.startsWith('window:backup-job:databases/postgres-backup-'),
      );
      assert.ok(job, JSON.stringify(decision?.blockedBy));
      assert.match(job.message, /backup job postgres-backup-\d+ has been running since 02:00 UTC/);
      assert.ok(!episode.gaps.some((g) => g.includes('opt-ins are not in history')));
    }
  });
});
