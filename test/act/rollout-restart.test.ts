import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deployment, statefulSet } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

const restart = (workloadKind: 'Deployment' | 'StatefulSet', name: string, namespace = 'shop') =>
  ({ kind: 'rollout-restart', target: { cluster: 'default', namespace, workloadKind, name } }) as const;

describe('rollout-restart executor', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    h.api.seed(
      deployment('shop', 'web', { replicas: 3 }),
      statefulSet('databases', 'postgres', { replicas: 2 }),
    );
  });
  afterEach(() => h.close());

  it('stamps restartedAt with a strategic merge patch and waits for the new ReplicaSet', async () => {
    h.api.readyDelayMs = 20_000;
    const outcome = await h.executor.execute(permit(restart('Deployment', 'web')));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    const patches = h.api.writes();
    assert.deepEqual(
      patches.map((r) => [r.dryRun, r.contentType]),
      [
        [true, 'application/strategic-merge-patch+json'],
        [false, 'application/strategic-merge-patch+json'],
      ],
    );
    assert.deepEqual(patches[1]?.body, {
      // The precondition: the workload as read (and found not paused), or 409.
      metadata: { resourceVersion: patches[1]?.body.metadata.resourceVersion },
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-03-10T02:17:00Z' } },
        },
      },
    });
    assert.match(patches[1]?.body.metadata.resourceVersion, /^\d+$/);
    const sets = h.api.store.list('replicasets', 'shop');
    assert.equal(sets.length, 2);
    assert.ok(sets.some((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '2'));
    assert.ok((outcome.verification?.waitedMs ?? 0) >= 20_000);
    assert.match(outcome.message, /successfully rolled out/);
  });

  it('restarts a StatefulSet the same way', async () => {
    const outcome = await h.executor.execute(permit(restart('StatefulSet', 'postgres', 'databases')));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.match(outcome.message, /rolling update complete: 2 pods/);
  });

  it('refuses a paused Deployment, as kubectl does', async () => {
    h.api.seed(deployment('shop', 'held', { paused: true }));
    const outcome = await h.executor.execute(permit(restart('Deployment', 'held')));
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.reason, 'Paused');
    assert.equal(h.api.writes().length, 0);
  });

  it('dry run only changes nothing', async () => {
    const before = h.api.store.get('deployments', 'shop', 'web');
    const outcome = await h.executor.execute(permit(restart('Deployment', 'web'), true));
    assert.equal(outcome.status, 'dry-run-ok');
    assert.deepEqual(h.api.store.get('deployments', 'shop', 'web'), before);
  });

  it('verification fails when the new pods never become Ready', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    const outcome = await h.executor.execute(permit(restart('Deployment', 'web')));
    assert.equal(outcome.status, 'verification-failed');
    assert.match(outcome.message, /0 of 3 updated replicas are available/);
  });

  it('422 from admission says why, with the causes', async () => {
    h.api.seed({
      kind: 'Deployment',
      metadata: { name: 'broken', namespace: 'shop' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'b' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'a' }] } },
      },
    });
    const outcome = await h.executor.execute(permit(restart('Deployment', 'broken')));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.httpStatus, 422);
    assert.match(outcome.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
  });

  it('a 503 on the dry run changed nothing; on the real patch it may have', async () => {
    const path = '/apis/apps/v1/namespaces/shop/deployments/web';
    h.api.inject({ method: 'PATCH', path, status: 503, dryRun: true });
    const onDryRun = await h.executor.execute(permit(restart('Deployment', 'web')));
    assert.equal(onDryRun.httpStatus, 503);
    assert.match(onDryRun.message, /Nothing was changed/);
    h.api.inject({ method: 'PATCH', path, status: 503, dryRun: false });
    const onWrite = await h.executor.execute(permit(restart('Deployment', 'web')));
    assert.equal(onWrite.status, 'failed');
    assert.match(onWrite.message, /may or may not have been applied; look at Deployment shop\/web/);
  });
});
