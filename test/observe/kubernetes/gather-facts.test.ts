import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SelectorSubject, WindowOccurrence } from '../../../src/domain/index.ts';
import { READER_PERMISSIONS } from '../../../src/kube/index.ts';
import type { CalendarWindow } from '../../../src/observe/calendar/index.ts';
import {
  backupWindowsFrom,
  type GatherFactsDeps,
  gatherFacts,
  parseBackupTarget,
} from '../../../src/observe/kubernetes/index.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

const backups = {
  marginMs: 15 * 60_000,
  assumedDurationMs: 3_600_000,
  recentRuns: 5,
  namespaces: ['databases'],
  failClosed: true,
};

function backupCronJob(labelOrAnnotation: 'label' | 'annotation', value: string) {
  const optIn = { 'belay.io/backup-for': value };
  return {
    kind: 'CronJob',
    metadata: {
      name: 'postgres-backup',
      namespace: 'databases',
      uid: 'cj-1',
      ...(labelOrAnnotation === 'label' ? { labels: optIn } : { annotations: optIn }),
    },
    spec: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', jobTemplate: { spec: {} } },
  };
}

function job(name: string, start: string, minutes: number) {
  return {
    kind: 'Job',
    metadata: {
      name,
      namespace: 'databases',
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: 'postgres-backup', uid: 'cj-1', controller: true },
      ],
    },
    spec: {},
    status: {
      startTime: start,
      completionTime: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
      succeeded: 1,
    },
  };
}

describe('gatherFacts', () => {
  let h: ReadHarness;
  let calls: { windows: readonly CalendarWindow[]; subject: SelectorSubject; at: Date }[];
  let deps: GatherFactsDeps;
  const occurrence: WindowOccurrence = {
    name: 'backup:databases/postgres-backup',
    kind: 'backup',
    start: '2026-03-10T01:00:00Z',
    end: '2026-03-10T01:57:00Z',
    blocks: 'all',
    source: { type: 'cronjob', ref: 'databases/postgres-backup' },
  };
  beforeEach(async () => {
    h = await readHarness();
    seedShop(h.api);
    calls = [];
    deps = {
      reader: h.reader,
      clock: h.clock,
      // Stands in for the calendar module's occurrencesAt: records what it is asked, answers one occurrence.
      occurrencesAt: (windows, subject, at) => {
        calls.push({ windows, subject, at });
        return windows.length > 0 ? [occurrence] : [];
      },
      backups,
    };
  });
  afterEach(() => h.close());

  it('a pod resolves through its ReplicaSet to the Deployment, with restarts, rollout and unhealthy share', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    const pods = h.api.store.list('pods', 'shop');
    const pod = pods[0];
    pod.status.containerStatuses = [
      {
        name: 'app',
        ready: true,
        restartCount: 4,
        image: 'web:1.4.2',
        lastState: { terminated: { reason: 'OOMKilled', finishedAt: '2026-03-10T02:10:00Z' } },
      },
    ];
    h.api.store.put('pods', pod);
    h.api.store.delete('pods', 'shop', pods[1].metadata.name);
    h.api.store.reconcile();
    const facts = await gatherFacts(deps, {
      kind: 'restart-pod',
      target: { cluster: 'default', namespace: 'shop', pod: pod.metadata.name },
    });
    assert.deepEqual(facts.owner, { kind: 'Deployment', name: 'web' });
    assert.deepEqual(facts.namespaceLabels, { team: 'shop', 'belay.io/class': 'apps' });
    assert.equal(facts.pod?.restartCount, 4);
    assert.equal(facts.pod?.lastRestartAt, '2026-03-10T02:10:00.000Z');
    assert.equal(facts.pod?.lastTerminationReason, 'OOMKilled');
    assert.equal(
      facts.pod?.memoryLimitBytes,
      512 * 2 ** 20,
      'the 512Mi limit of the container that was killed',
    );
    assert.deepEqual(facts.replicas, { desired: 3, unhealthy: 1 });
    assert.equal(facts.lastRolloutAt, '2026-03-10T02:17:00.000Z');
    assert.deepEqual(calls[0]?.subject, {
      cluster: 'default',
      namespace: 'shop',
      names: [pod.metadata.name, 'web'],
      labels: { app: 'web', 'pod-template-hash': pod.metadata.labels['pod-template-hash'] },
    });
    assert.deepEqual(facts.windows, [], 'no backup CronJob covers shop');
  });

  it('a CronJob labelled as a backup becomes a window: schedule, longest recent run + margin, and its source', async () => {
    h.api.seed(
      backupCronJob('label', 'postgres'),
      job('postgres-backup-1', '2026-03-08T01:00:00Z', 35),
      job('postgres-backup-2', '2026-03-09T01:00:00Z', 42),
    );
    const facts = await gatherFacts(deps, {
      kind: 'restart-pod',
      target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
    });
    assert.deepEqual(calls[0]?.windows, [
      {
        name: 'backup:databases/postgres-backup',
        kind: 'backup',
        timing: {
          type: 'recurring',
          schedule: '0 2 * * *',
          timezone: 'Europe/Berlin',
          durationMs: (42 + 15) * 60_000,
        },
        selector: { namespaces: ['databases'], names: ['postgres'] },
        blocks: 'all',
        source: { type: 'cronjob', ref: 'databases/postgres-backup' },
      },
    ]);
    assert.deepEqual(calls[0]?.subject.names, ['postgres-0', 'postgres']);
    assert.deepEqual(facts.owner, { kind: 'StatefulSet', name: 'postgres' });
    assert.deepEqual(facts.windows, [occurrence]);
  });

  it('the annotation can name a label selector; no finished run assumes the configured duration', () => {
    const [window] = backupWindowsFrom(
      [
        {
          metadata: {
            name: 'pg',
            namespace: 'databases',
            uid: 'u',
            annotations: { 'belay.io/backup-for': 'app=postgres,role=primary' },
          },
          spec: { schedule: '30 1 * * *', jobTemplate: {} },
        },
      ],
      [],
      backups,
    );
    assert.deepEqual(window?.selector, {
      namespaces: ['databases'],
      labels: { app: 'postgres', role: 'primary' },
    });
    assert.equal(window?.timing.type === 'recurring' && window.timing.durationMs, 3_600_000 + 15 * 60_000);
    assert.equal(window?.timing.type === 'recurring' && window.timing.timezone, 'UTC');
  });

  it('bad opt-in values and suspended CronJobs produce no window', () => {
    for (const bad of ['', 'a=b=c', '=x', 'ns/'] as const)
      assert.equal(parseBackupTarget(bad, 'databases'), undefined, bad);
    assert.deepEqual(parseBackupTarget('other/pg-*', 'databases'), {
      namespaces: ['other'],
      names: ['pg-*'],
    });
    const windows = backupWindowsFrom(
      [
        {
          metadata: { name: 'pg', namespace: 'd', labels: { 'belay.io/backup-for': 'pg' } },
          spec: { schedule: '0 2 * * *', suspend: true, jobTemplate: {} },
        },
      ],
      [],
      backups,
    );
    assert.deepEqual(windows, []);
  });

  it('CronJobs that cannot be read become a calendar problem that fails closed, not a silent gap', async () => {
    const limited = await readHarness({
      grants: READER_PERMISSIONS.filter((p) => !(p.resource === 'cronjobs' && p.verb === 'list')),
    });
    try {
      seedShop(limited.api);
      const facts = await gatherFacts(
        { ...deps, reader: limited.reader },
        {
          kind: 'rollout-restart',
          target: {
            cluster: 'default',
            namespace: 'databases',
            workloadKind: 'StatefulSet',
            name: 'postgres',
          },
        },
      );
      assert.equal(facts.calendarProblems.length, 1);
      assert.equal(facts.calendarProblems[0]?.source, 'cronjobs in databases');
      assert.equal(facts.calendarProblems[0]?.failClosed, true);
      assert.deepEqual(facts.owner, { kind: 'StatefulSet', name: 'postgres' });
      assert.deepEqual(facts.replicas, { desired: 1, unhealthy: 0 });
    } finally {
      await limited.close();
    }
  });

  it('Belay-side facts (ledger, freeze) pass through and the whole is valid Facts', async () => {
    const facts = await gatherFacts(
      deps,
      {
        kind: 'scale',
        target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
        replicas: 4,
      },
      { freeze: { active: true, reason: 'security incident' }, storm: true },
    );
    assert.equal(facts.freeze.active, true);
    assert.equal(facts.storm, true);
    assert.equal(facts.pod, undefined);
    assert.deepEqual(calls[0]?.subject.labels, { app: 'web' });
  });
});
