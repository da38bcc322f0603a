import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { kubernetesSectionSchema } from '../../../src/config/sections/kubernetes.ts';
import { decide } from '../../../src/decide/index.ts';
import type { Action } from '../../../src/domain/index.ts';
import { occurrencesAt } from '../../../src/observe/calendar/index.ts';
import { backupSettingsFrom, gatherFacts } from '../../../src/observe/kubernetes/index.ts';
import { storyPolicy } from '../../support/story-policy.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

// The 02:17 story: the nightly backup CronJob declares what it backs up; Belay finds it in the cluster and
// the policy blocks a restart of the database pod while the backup runs, however loud the memory alert is.

const restartPostgres: Action = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
};

describe('a backup CronJob in the cluster blocks a restart of its database pod', () => {
  let h: ReadHarness;
  beforeEach(async () => {
    h = await readHarness();
    seedShop(h.api);
    h.api.seed(
      {
        kind: 'CronJob',
        metadata: {
          name: 'postgres-backup',
          namespace: 'databases',
          uid: 'cj-1',
          labels: { 'belay.io/backup-for': 'postgres' },
        },
        spec: { schedule: '0 2 * * *', timeZone: 'UTC', jobTemplate: { spec: {} } },
      },
      {
        kind: 'Job',
        metadata: {
          name: 'postgres-backup-29021',
          namespace: 'databases',
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'CronJob',
              name: 'postgres-backup',
              uid: 'cj-1',
              controller: true,
            },
          ],
        },
        spec: {},
        status: { startTime: '2026-03-09T02:00:00Z', completionTime: '2026-03-09T02:40:00Z', succeeded: 1 },
      },
    );
  });
  afterEach(() => h.close());

  const factsAt = (iso: string) => {
    h.clock.advance(Date.parse(iso) - h.clock.now().getTime());
    return gatherFacts(
      {
        reader: h.reader,
        clock: h.clock,
        occurrencesAt,
        // The kubernetes config section's defaults: a 15m margin, fail closed.
        backups: backupSettingsFrom(kubernetesSectionSchema.parse({})),
      },
      restartPostgres,
    );
  };

  it('at 02:17, inside the backup (02:00 + 40m observed + 15m margin), the verdict is blocked and names the CronJob', async () => {
    const facts = await factsAt('2026-03-10T02:17:00Z');
    assert.deepEqual(facts.windows, [
      {
        name: 'backup:databases/postgres-backup',
        kind: 'backup',
        start: '2026-03-10T02:00:00.000Z',
        end: '2026-03-10T02:55:00.000Z',
        blocks: 'all',
        source: { type: 'cronjob', ref: 'databases/postgres-backup' },
      },
    ]);
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: { type: 'manual', user: 'U0SRE0001' } },
      facts,
      h.clock.now(),
    );
    assert.equal(verdict.disposition, 'blocked');
    const block = verdict.reasons.find((r) => r.effect === 'blocked');
    assert.match(block?.message ?? '', /postgres-backup/);
    assert.equal(block?.until, '2026-03-10T02:55:00.000Z');
  });

  it('at 03:30, after the window, the same restart is not blocked by it (it still needs approval: production-critical)', async () => {
    const facts = await factsAt('2026-03-10T03:30:00Z');
    assert.deepEqual(facts.windows, []);
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: { type: 'manual', user: 'U0SRE0001' } },
      facts,
      h.clock.now(),
    );
    assert.equal(verdict.disposition, 'approval');
  });
});
