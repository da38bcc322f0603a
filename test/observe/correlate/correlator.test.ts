import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCorrelator, InMemoryIncidentStore, placeAlert } from '../../../src/observe/correlate/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { alert, replicaSetPod } from './alert-factory.ts';

function setup(options: { stormWorkloads?: number } = {}) {
  const clock = new ManualClock();
  const store = new InMemoryIncidentStore();
  let n = 0;
  const correlator = createCorrelator({ store, clock, newId: () => `inc-${++n}`, ...options });
  return { clock, store, correlator };
}

describe('where an alert belongs', () => {
  const keyOf = (labels: Record<string, string>) => {
    const placed = placeAlert(alert(labels));
    return 'key' in placed ? placed.key : placed.reason;
  };
  it('groups by cluster, namespace and top-level workload', () => {
    assert.equal(keyOf({ pod: 'web-7c9f8d6b5-x2x4z' }), 'homelab/shop/Deployment/web');
    assert.equal(keyOf({ pod: 'web-7c9f8d6b5-k8s9q' }), 'homelab/shop/Deployment/web');
    assert.equal(keyOf({ pod: 'postgres-0' }), 'homelab/shop/StatefulSet/postgres');
    assert.equal(keyOf({ pod: 'whatever', deployment: 'api' }), 'homelab/shop/Deployment/api');
    assert.equal(keyOf({ replicaset: 'api-5d8f7c9b6' }), 'homelab/shop/Deployment/api');
    assert.equal(
      keyOf({ owner_kind: 'ReplicaSet', owner_name: 'api-5d8f7c9b6' }),
      'homelab/shop/Deployment/api',
    );
    assert.equal(keyOf({ workload: 'db', workload_type: 'statefulset' }), 'homelab/shop/StatefulSet/db');
    assert.equal(keyOf({ pod: 'standalone' }), 'homelab/shop/Pod/standalone');
    assert.equal(keyOf({}), 'homelab/shop/alert/KubePodCrashLooping');
    const noCluster = placeAlert(alert({ cluster: '', pod: 'postgres-0' }), 'main');
    assert.ok('key' in noCluster && noCluster.key === 'main/shop/StatefulSet/postgres');
  });
  it('refuses alerts that name no real namespace', () => {
    assert.match(keyOf({ namespace: '' }), /no namespace/);
    assert.match(keyOf({ namespace: 'Shop!' }), /not a Kubernetes namespace/);
  });
});

describe('correlation into incidents', () => {
  it('opens one incident for the pods of one ReplicaSet and asks for one investigation', async () => {
    const { store, correlator } = setup();
    const result = await correlator.ingest([
      alert({ pod: replicaSetPod('web', 1) }),
      alert({ pod: replicaSetPod('web', 2) }),
    ]);
    assert.equal(store.incidents.size, 1);
    assert.equal(result.updates.length, 1);
    assert.equal(result.updates[0]?.change, 'opened');
    assert.equal(result.updates[0]?.investigate, true);
    assert.equal(Object.keys(result.updates[0]?.incident.alerts ?? {}).length, 2);
  });

  it('takes repeats as repeats: no new incident, no new investigation', async () => {
    const { store, correlator, clock } = setup();
    const a = alert({ pod: replicaSetPod('web', 1) });
    await correlator.ingest([a]);
    clock.advance(4 * 3_600_000);
    const again = await correlator.ingest([a, a]);
    assert.equal(store.incidents.size, 1);
    assert.equal(again.updates[0]?.change, 'repeat');
    assert.equal(again.updates[0]?.investigate, false);
  });

  it('closes the incident when every alert resolves, and opens a new one if it fires again', async () => {
    const { store, correlator, clock } = setup();
    const a = alert({ pod: replicaSetPod('web', 1) });
    const b = alert({ pod: replicaSetPod('web', 2) });
    await correlator.ingest([a, b]);
    const partly = await correlator.ingest([{ ...a, status: 'resolved' }]);
    assert.equal(partly.updates[0]?.change, 'updated');
    assert.equal(partly.updates[0]?.incident.status, 'open');
    clock.advance(60_000);
    const closed = await correlator.ingest([{ ...b, status: 'resolved' }]);
    assert.equal(closed.updates[0]?.change, 'resolved');
    assert.equal(store.getIncident('inc-1')?.status, 'resolved');
    assert.equal(store.getIncident('inc-1')?.resolvedAt, '2025-01-01T10:01:00.000Z');
    const replayedResolve = await correlator.ingest([{ ...b, status: 'resolved' }]);
    assert.equal(replayedResolve.updates.length, 0);
    assert.equal(replayedResolve.ignored.length, 1);
    const refire = await correlator.ingest([a]);
    assert.equal(refire.updates[0]?.change, 'opened');
    assert.equal(refire.updates[0]?.incident.id, 'inc-2');
  });

  it('treats an incident silent for longer than the window as abandoned', async () => {
    const { store, correlator, clock } = setup();
    await correlator.ingest([alert({ pod: 'postgres-0' })]);
    clock.advance(25 * 3_600_000);
    const later = await correlator.ingest([alert({ pod: 'postgres-1' })]);
    assert.equal(later.updates[0]?.change, 'opened');
    assert.equal(store.getIncident('inc-1')?.status, 'resolved');
    assert.equal(store.getIncident('inc-2')?.status, 'open');
  });

  it('keeps the Slack thread of the message an alert came from', async () => {
    const { correlator } = setup();
    const fromSlack = alert(
      { pod: 'postgres-0' },
      { source: 'slack', slackMessage: { channel: 'C1', ts: '1.2' } },
    );
    const result = await correlator.ingest([fromSlack]);
    assert.deepEqual(result.updates[0]?.incident.slackThread, { channel: 'C1', ts: '1.2' });
  });

  it('serialises concurrent deliveries so one key never gets two incidents', async () => {
    const { store, correlator } = setup();
    await Promise.all([
      correlator.ingest([alert({ pod: replicaSetPod('web', 1) })]),
      correlator.ingest([alert({ pod: replicaSetPod('web', 2) })]),
      correlator.ingest([alert({ pod: replicaSetPod('web', 3) })]),
    ]);
    assert.equal(store.incidents.size, 1);
  });

  it('reports alerts it cannot place instead of dropping them silently', async () => {
    const { store, correlator } = setup();
    const result = await correlator.ingest([alert({ namespace: '' }, { source: 'pagerduty' })]);
    assert.equal(store.incidents.size, 0);
    assert.match(result.ignored[0]?.reason ?? '', /no namespace/);
  });
});

describe('alert storms', () => {
  it('1,000 alerts across 200 pods in 5 namespaces within a minute stay within budget', async () => {
    const { store, correlator, clock } = setup();
    const namespaces = ['shop', 'cart', 'search', 'auth', 'media'];
    const deployments = ['api', 'web', 'worker', 'cache', 'gateway', 'feed', 'mailer', 'images'];
    const alertnames = [
      'KubePodCrashLooping',
      'KubePodNotReady',
      'KubeContainerWaiting',
      'CPUThrottlingHigh',
      'OOMKilled',
    ];
    const all = namespaces.flatMap((namespace) =>
      deployments.flatMap((deployment) =>
        [0, 1, 2, 3, 4].flatMap((n) =>
          alertnames.map((alertname) => alert({ alertname, namespace, pod: replicaSetPod(deployment, n) })),
        ),
      ),
    );
    assert.equal(all.length, 1_000);
    assert.equal(new Set(all.map((a) => a.labels.pod && `${a.labels.namespace}/${a.labels.pod}`)).size, 200);
    const workloads = namespaces.length * deployments.length;
    // Deterministic shuffle, then Alertmanager-sized deliveries of 10 spread over 60 s; some are re-sent.
    const shuffled = all
      .map((a, i) => ({ a, k: (i * 7_919) % 1_000 }))
      .sort((x, y) => x.k - y.k)
      .map((x) => x.a);
    let investigations = 0;
    for (let i = 0; i < shuffled.length; i += 10) {
      const batch = shuffled.slice(i, i + 10);
      const result = await correlator.ingest(i % 50 === 0 ? [...batch, ...batch] : batch);
      investigations += result.updates.filter((u) => u.investigate).length;
      clock.advance(600);
    }
    const incidents = [...store.incidents.values()];
    assert.ok(incidents.length <= workloads, `${incidents.length} incidents for ${workloads} workloads`);
    assert.equal(incidents.length, workloads);
    assert.ok(
      investigations <= incidents.length,
      `${investigations} investigations for ${incidents.length} incidents`,
    );
    assert.ok(
      incidents.every((i) => i.storm),
      'every incident, including those that opened before the storm was recognised, is marked',
    );
    assert.equal(
      incidents.reduce((sum, i) => sum + Object.keys(i.alerts).length, 0),
      1_000,
    );
  });

  it('a few failing workloads are not a storm', async () => {
    const { store, correlator } = setup();
    const result = await correlator.ingest(
      ['api', 'web', 'worker'].map((d) => alert({ pod: replicaSetPod(d, 1) })),
    );
    assert.equal(result.storm, false);
    assert.ok([...store.incidents.values()].every((i) => !i.storm));
  });
});
