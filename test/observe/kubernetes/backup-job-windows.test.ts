import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { kubernetesSectionSchema } from '../../../src/config/sections/kubernetes.ts';
import { decide } from '../../../src/decide/index.ts';
import type { Action } from '../../../src/domain/index.ts';
import { occurrencesAt } from '../../../src/observe/calendar/index.ts';
import { backupSettingsFrom, gatherFacts, jobState } from '../../../src/observe/kubernetes/index.ts';
import { backupCronJob, jobOf, jobStatus, scheduledJobName } from '../../fakes/kube-api-jobs.ts';
import { storyPolicy } from '../../support/story-policy.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

// A backup that is still running is a window, whatever its schedule predicted: the 02:00 backup that runs
// past its usual 40 minutes, or one an engineer started by hand, blocks a restart of what it backs up
// until the Job ends plus the margin (15 min by default).

const restartPostgres: Action = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
};
const cron = backupCronJob('databases', 'postgres-backup');
const tonight = scheduledJobName('postgres-backup', '2026-03-14T02:00:00Z');

/** Three earlier nights that took 30, 40 and 35 minutes. */
function earlierNights() {
  return [
    [11, 30],
    [12, 40],
    [13, 35],
  ].map(([day, minutes]) => {
    const start = `2026-03-${day}T02:00:00Z`;
    const endedAt = new Date(Date.parse(start) + (minutes ?? 0) * 60_000).toISOString();
    return jobOf(cron, scheduledJobName('postgres-backup', start), {
      state: 'succeeded',
      startTime: start,
      endedAt,
    });
  });
}

describe('a running backup Job is a window', () => {
  let h: ReadHarness;
  beforeEach(async () => {
    h = await readHarness();
    seedShop(h.api);
    h.api.seed(cron, ...earlierNights());
  });
  afterEach(() => h.close());

  const verdictAt = async (iso: string) => {
    h.clock.advance(Date.parse(iso) - h.clock.now().getTime());
    const facts = await gatherFacts(
      {
        reader: h.reader,
        clock: h.clock,
        occurrencesAt,
        backups: backupSettingsFrom(kubernetesSectionSchema.parse({})),
      },
      restartPostgres,
    );
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: { type: 'manual', user: 'U0SRE0001' } },
      facts,
      h.clock.now(),
    );
    return { facts, verdict, block: verdict.reasons.find((r) => r.rule.startsWith('window:backup-job:')) };
  };
  const running = (name: string, startTime: string, manual = false) =>
    h.api.seed(jobOf(cron, name, { state: 'running', startTime }, { manual }));

  it('at 03:10 with the 02:00 backup still running, restart-pod databases/postgres-0 is blocked and says why', async () => {
    running(tonight, '2026-03-14T02:00:00Z');
    const { verdict, block, facts } = await verdictAt('2026-03-14T03:10:00Z');
    assert.equal(verdict.disposition, 'blocked');
    assert.ok(block, `expected a backup-job window among ${verdict.reasons.map((r) => r.rule)}`);
    assert.match(
      block.message,
      /^backup job postgres-backup-29557560 has been running since 02:00 UTC \(recent runs took about 40 min\) and has not finished\./,
    );
    assert.match(block.message, /backup CronJob databases\/postgres-backup/);
    assert.equal(block.until, undefined, 'nobody knows when a running backup ends');
    assert.match(
      verdict.headline,
      /Blocked: .*postgres-0 — backup job postgres-backup-29557560 has been running/,
    );
    assert.deepEqual(facts.windows[0]?.job, {
      name: tonight,
      startedAt: '2026-03-14T02:00:00.000Z',
      state: 'running',
      recentRunMs: 40 * 60_000,
    });
  });

  it('a manual run (kubectl create job --from=cronjob/postgres-backup) blocks at 14:00, far from the schedule', async () => {
    running('postgres-backup-before-upgrade', '2026-03-14T13:50:00Z', true);
    const { verdict, block } = await verdictAt('2026-03-14T14:00:00Z');
    assert.equal(verdict.disposition, 'blocked');
    assert.match(
      block?.message ?? '',
      /backup job postgres-backup-before-upgrade has been running since 13:50 UTC/,
    );
  });

  it('a Job with no CronJob that carries belay.io/backup-for itself blocks too, and says where the opt-in is', async () => {
    const job = jobOf(cron, 'pg-dump-by-hand', { state: 'running', startTime: '2026-03-14T13:30:00Z' });
    job.metadata.ownerReferences = [];
    job.metadata.labels = { 'belay.io/backup-for': 'postgres' };
    h.api.seed(job);
    const { verdict, block } = await verdictAt('2026-03-14T14:00:00Z');
    assert.equal(verdict.disposition, 'blocked');
    assert.match(
      block?.message ?? '',
      /backup job pg-dump-by-hand has been running since 13:30 UTC \(no earlier run has finished\)/,
    );
    assert.match(
      block?.message ?? '',
      /backup Job databases\/pg-dump-by-hand, which carries belay\.io\/backup-for itself/,
    );
  });

  it('a run of a suspended CronJob still blocks while it runs', async () => {
    h.api.store.put('cronjobs', { ...structuredClone(cron), spec: { ...cron.spec, suspend: true } });
    running(tonight, '2026-03-14T02:00:00Z');
    const { verdict } = await verdictAt('2026-03-14T03:10:00Z');
    assert.equal(verdict.disposition, 'blocked');
  });

  it('closes the margin after the Job completes: blocked at 03:30, free at 03:36', async () => {
    running(tonight, '2026-03-14T02:00:00Z');
    const job = h.api.store.get('jobs', 'databases', tonight);
    job.status = jobStatus({
      state: 'succeeded',
      startTime: '2026-03-14T02:00:00Z',
      endedAt: '2026-03-14T03:20:00Z',
    });
    h.api.store.put('jobs', job);
    const during = await verdictAt('2026-03-14T03:30:00Z');
    assert.equal(during.verdict.disposition, 'blocked');
    assert.match(
      during.block?.message ?? '',
      /finished at 03:20 UTC; its window holds for a margin until 03:35 UTC/,
    );
    assert.equal(during.block?.until, '2026-03-14T03:35:00.000Z');
    const afterwards = await verdictAt('2026-03-14T03:36:00Z');
    assert.equal(afterwards.verdict.disposition, 'approval', afterwards.verdict.headline);
  });

  it('a Job that failed closes the window a margin after it failed', async () => {
    h.api.seed(
      jobOf(cron, tonight, {
        state: 'failed',
        startTime: '2026-03-14T02:00:00Z',
        endedAt: '2026-03-14T03:00:00Z',
      }),
    );
    const during = await verdictAt('2026-03-14T03:10:00Z');
    assert.match(during.block?.message ?? '', /failed at 03:00 UTC/);
    const afterwards = await verdictAt('2026-03-14T03:16:00Z');
    assert.equal(afterwards.block, undefined);
    assert.equal(afterwards.verdict.disposition, 'approval');
  });

  it('a deleted Job closes it at once', async () => {
    running(tonight, '2026-03-14T02:00:00Z');
    h.api.store.delete('jobs', 'databases', tonight);
    const { verdict } = await verdictAt('2026-03-14T03:10:00Z');
    assert.equal(verdict.disposition, 'approval');
  });

  it('a running Job of a CronJob that backs up something else does not block postgres-0', async () => {
    const other = backupCronJob('databases', 'redis-backup', { backupFor: 'redis-*' });
    h.api.seed(
      other,
      jobOf(other, 'redis-backup-1', { state: 'running', startTime: '2026-03-14T02:00:00Z' }),
    );
    const { verdict } = await verdictAt('2026-03-14T03:10:00Z');
    assert.equal(verdict.disposition, 'approval');
  });
});

describe('jobState reads the Job controller’s record', () => {
  const base = { metadata: { name: 'j' }, spec: { template: {} } };
  for (const [name, status, expected] of [
    ['active pods', { startTime: '2026-03-14T02:00:00Z', active: 1 }, { state: 'running' }],
    [
      'between retries (no pod active)',
      { startTime: '2026-03-14T02:00:00Z', active: 0, failed: 1 },
      { state: 'running' },
    ],
    [
      'Complete',
      jobStatus({ state: 'succeeded', startTime: '2026-03-14T02:00:00Z', endedAt: '2026-03-14T02:40:00Z' }),
      { state: 'succeeded', endedAt: '2026-03-14T02:40:00.000Z' },
    ],
    [
      'Failed',
      jobStatus({ state: 'failed', startTime: '2026-03-14T02:00:00Z', endedAt: '2026-03-14T02:50:00Z' }),
      { state: 'failed', endedAt: '2026-03-14T02:50:00.000Z' },
    ],
    [
      'only a completionTime (older objects)',
      { startTime: '2026-03-14T02:00:00Z', completionTime: '2026-03-14T02:30:00Z', succeeded: 1 },
      { state: 'succeeded', endedAt: '2026-03-14T02:30:00.000Z' },
    ],
    ['never started', {}, undefined],
  ] as const) {
    it(name, () => {
      assert.deepEqual(jobState({ ...base, status: status as never }), expected);
    });
  }
  it('a suspended Job that has not started is not running', () => {
    assert.equal(
      jobState({ ...base, spec: { suspend: true, template: {} as never }, status: {} }),
      undefined,
    );
  });
});
