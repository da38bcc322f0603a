import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { redact } from '../../../src/domain/redact.ts';
import { createKubernetesReadTools } from '../../../src/observe/kubernetes/index.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

type Data = Record<string, unknown> & { error?: string };

describe('Kubernetes read tools', () => {
  let h: ReadHarness;
  beforeEach(async () => {
    // The real redactor orient uses, so a secret in a log or an event never reaches the model.
    h = await readHarness({ redact });
    seedShop(h.api);
  });
  afterEach(() => h.close());

  it('pods_list on a namespace with 500 pods returns a bounded page, unhealthy first, and says what it cut', async () => {
    h.api.seedPods('big', 500);
    h.api.seed({
      kind: 'Pod',
      metadata: { name: 'zz-crashing', namespace: 'big', labels: { app: 'bulk' } },
      spec: { containers: [{ name: 'app', image: 'bulk:1' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 12,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-03-10T02:16:00Z' },
            },
          },
        ],
      },
    });
    const result = await h.run('pods_list', { namespace: 'big' });
    const data = result.data as { total: number; pods: Data[] };
    assert.equal(data.pods.length, 50);
    assert.equal(data.total, 501);
    assert.equal(result.truncated, 'showing 50 of 501 pods (unhealthy first)');
    assert.deepEqual(data.pods[0], {
      name: 'zz-crashing',
      phase: 'Running',
      ready: '0/1',
      restarts: 12,
      waiting: 'CrashLoopBackOff',
      lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-03-10T02:16:00.000Z' },
    });
    assert.equal(data.pods[1]?.owner, 'Deployment/bulk', 'owner chain resolved through the ReplicaSet');
    assert.ok(JSON.stringify(result).length < 12_000, `output is ${JSON.stringify(result).length} chars`);
    const replicaSetGets = h.api.requests.filter((r) => r.resource === 'replicasets' && r.verb === 'get');
    assert.equal(replicaSetGets.length, 1, 'one GET per ReplicaSet, not per pod');
  });

  it('pods_list says when it stopped reading before the end', async () => {
    const small = await readHarness();
    try {
      small.api.seedPods('big', 30);
      // A narrow fetch cap stands in for a namespace bigger than the 1000 pods the tool reads.
      const capped = createKubernetesReadTools({
        readerFor: () => small.reader,
        clock: small.clock,
        redact: (t) => t,
        limits: { fetch: 10, items: 5 },
      }).find((t) => t.name === 'pods_list');
      const result = await capped?.run({ namespace: 'big' }, { cluster: 'default' });
      assert.equal(
        result?.truncated,
        'showing 5 of 30 pods (unhealthy first); read only the first 10 pods from the API server; narrow with labelSelector',
      );
    } finally {
      await small.close();
    }
  });

  it('pod_logs passes the log through the redactor and caps bytes', async () => {
    const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
    h.api.setLog('shop', pod, 'app', 'starting\nconnecting with password=hunter2\nready\n');
    const result = await h.run('pod_logs', { namespace: 'shop', pod });
    const text = (result.data as { text: string }).text;
    assert.match(text, /password=\[REDACTED:pair\]/);
    assert.doesNotMatch(text, /hunter2/);
    assert.equal(result.truncated, undefined);

    h.api.setLog('shop', pod, 'app', `${'x'.repeat(100)}\n`.repeat(1_000));
    const big = await h.run('pod_logs', { namespace: 'shop', pod, tailLines: 2_000 });
    assert.ok(Buffer.byteLength((big.data as { text: string }).text) <= 16_384);
    assert.equal(big.truncated, 'log cut at 16384 bytes of the last 200 lines');
    const lastRequest = h.api.requests.at(-1);
    assert.deepEqual([lastRequest?.query.tailLines, lastRequest?.query.limitBytes], ['200', '16384']);
  });

  it('pod_logs returns the API server refusal as data (no previous instance)', async () => {
    const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
    const result = await h.run('pod_logs', { namespace: 'shop', pod, previous: true });
    assert.match(
      String((result.data as Data).error),
      /pod_logs failed: 400 previous terminated container "app"/,
    );
  });

  it('events_list returns the newest events first, capped, with messages redacted', async () => {
    const events = Array.from({ length: 30 }, (_, i) => ({
      kind: 'Event',
      metadata: { name: `web-1.${i}`, namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      reason: i === 29 ? 'Killing' : 'BackOff',
      message: i === 29 ? 'token=abc123 leaked in probe' : `back-off ${i}`,
      type: 'Warning',
      lastTimestamp: new Date(Date.parse('2026-03-10T02:00:00Z') + i * 60_000).toISOString(),
    }));
    h.api.seed(...events, {
      ...events[0],
      metadata: { name: 'other', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'web-2' },
    });
    const result = await h.run('events_list', { namespace: 'shop', kind: 'Pod', name: 'web-1' });
    const list = (result.data as { events: Data[] }).events;
    assert.equal(list.length, 20);
    assert.equal(list[0]?.reason, 'Killing');
    assert.equal(list[0]?.message, 'token=[REDACTED:pair] leaked in probe');
    assert.equal(result.truncated, 'showing the newest 20 of 30 events');
    assert.equal(
      h.api.requests.at(-1)?.query.fieldSelector,
      'involvedObject.name=web-1,involvedObject.kind=Pod',
    );
  });

  it('rollout_history lists revisions newest first from the ReplicaSets', async () => {
    h.clock.advance(3_600_000);
    await h.api
      .kubeConfig()
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: {
            metadata: { annotations: { 'kubernetes.io/change-cause': 'deploy 1.5.0' } },
            spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1.5.0' }] } } },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    h.clock.advance(600_000);
    const result = await h.run('rollout_history', { namespace: 'shop', name: 'web' });
    const data = result.data as { currentRevision: number; revisions: Data[] };
    assert.equal(data.currentRevision, 2);
    assert.deepEqual(
      data.revisions.map((r) => [r.revision, r.current, r.images, r.age]),
      [
        [2, true, ['web:1.5.0'], '10m'],
        [1, false, ['web:1.4.2'], '1h10m'],
      ],
    );
  });

  it('workload_get summarises a Deployment and a StatefulSet', async () => {
    const web = (await h.run('workload_get', { namespace: 'shop', kind: 'Deployment', name: 'web' }))
      .data as Data;
    assert.deepEqual(
      [web.desired, web.ready, web.images, web.revision, web.paused],
      [3, 3, ['web:1.4.2'], '1', false],
    );
    const pg = (
      await h.run('workload_get', { namespace: 'databases', kind: 'StatefulSet', name: 'postgres' })
    ).data as Data;
    assert.deepEqual([pg.desired, pg.ready], [1, 1]);
  });

  it('cronjobs_list shows schedules, recent runs with durations, and the backup opt-in', async () => {
    h.api.seed({
      kind: 'CronJob',
      metadata: {
        name: 'postgres-backup',
        namespace: 'databases',
        uid: 'cj-1',
        labels: { 'belay.io/backup-for': 'postgres' },
      },
      spec: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', jobTemplate: { spec: {} } },
    });
    h.api.seed({
      kind: 'Job',
      metadata: {
        name: 'postgres-backup-1',
        namespace: 'databases',
        ownerReferences: [
          { kind: 'CronJob', name: 'postgres-backup', uid: 'cj-1', controller: true, apiVersion: 'batch/v1' },
        ],
      },
      spec: {},
      status: { startTime: '2026-03-09T01:00:00Z', completionTime: '2026-03-09T01:42:00Z', succeeded: 1 },
    });
    const result = await h.run('cronjobs_list', { namespace: 'databases' });
    assert.deepEqual((result.data as { cronjobs: Data[] }).cronjobs, [
      {
        name: 'postgres-backup',
        schedule: '0 2 * * *',
        timeZone: 'Europe/Berlin',
        suspend: false,
        lastScheduleTime: undefined,
        backupFor: 'postgres',
        recentRuns: [
          {
            name: 'postgres-backup-1',
            startedAt: '2026-03-09T01:00:00.000Z',
            durationSeconds: 2520,
            result: 'succeeded',
          },
        ],
      },
    ]);
  });

  it('namespace_get returns labels and annotations', async () => {
    const data = (await h.run('namespace_get', { namespace: 'shop' })).data as Data;
    assert.deepEqual(data.labels, { team: 'shop', 'belay.io/class': 'apps' });
  });

  it('pod_get shows containers, resources, owner and events; a missing pod is an error as data', async () => {
    const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
    const data = (await h.run('pod_get', { namespace: 'shop', name: pod })).data as Data & {
      containers: Data[];
    };
    assert.equal(data.owner, 'Deployment/web');
    assert.deepEqual(data.containers[0]?.limits, { memory: '512Mi' });
    const missing = await h.run('pod_get', { namespace: 'shop', name: 'gone' });
    assert.match(String((missing.data as Data).error), /pod_get failed: 404 pods "gone" not found/);
  });

  it('a cluster Belay cannot read is an error as data', async () => {
    const tool = h.tools.get('namespace_get');
    const result = await tool?.run({ namespace: 'shop' }, { cluster: 'prod-eu' });
    assert.deepEqual(result?.data, { error: 'Belay has no read access to cluster "prod-eu"' });
  });

  it('inputs are validated: a name that is not a Kubernetes name never reaches a path', () => {
    const tool = h.tools.get('pod_get');
    assert.equal(tool?.input.safeParse({ namespace: 'shop', name: '../../secrets' }).success, false);
    assert.equal(tool?.input.safeParse({ namespace: 'shop', name: 'web', extra: 1 }).success, false);
  });
});
