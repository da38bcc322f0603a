// Every write carries a precondition, so a change that lands between Belay's read and its write is a 409
// from the API server (as the real one answers), never silently overwritten.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { deployment, statefulSet } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

describe('write preconditions: a change between read and write is not overwritten', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  /** Runs `change` once, just before the first real (not dry-run) write of `verb` reaches the server. */
  function beforeWrite(verb: string, change: () => void) {
    let done = false;
    h.api.onRequest = (r) => {
      if (done || r.dryRun || r.verb !== verb) return;
      done = true;
      change();
    };
  }

  it('restart-pod: the eviction names the pod it read (uid), so a recreated namesake is not evicted', async () => {
    h.api.seed(statefulSet('databases', 'postgres'));
    const first = h.api.store.get('pods', 'databases', 'postgres-0').metadata.uid;
    let second = '';
    beforeWrite('create', () => {
      // The StatefulSet controller recreated postgres-0 after someone deleted it.
      h.api.store.delete('pods', 'databases', 'postgres-0');
      h.api.store.reconcile(true);
      second = h.api.store.get('pods', 'databases', 'postgres-0').metadata.uid;
    });
    const outcome = await h.executor.execute(
      permit({
        kind: 'restart-pod',
        target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
      }),
    );
    assert.notEqual(second, first);
    assert.equal(outcome.httpStatus, 409, outcome.message);
    assert.match(outcome.message, /Precondition failed: UID in precondition/);
    const eviction = h.api.requests.find((r) => r.resource === 'pods/eviction' && !r.dryRun);
    assert.equal(eviction?.body.deleteOptions.preconditions.uid, first);
    assert.equal(h.api.store.get('pods', 'databases', 'postgres-0').metadata.uid, second, 'not evicted');
  });

  it('rollout-restart: a Deployment paused between the read and the write is not restarted', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 2 }));
    beforeWrite('patch', () => {
      const d = h.api.store.get('deployments', 'shop', 'web');
      h.api.store.put('deployments', { ...d, spec: { ...d.spec, paused: true } });
    });
    const outcome = await h.executor.execute(
      permit({
        kind: 'rollout-restart',
        target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
      }),
    );
    assert.equal(outcome.reason, 'Paused', outcome.message);
    const template = h.api.store.get('deployments', 'shop', 'web').spec.template;
    assert.equal(template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], undefined);
  });

  it('rollback-deployment: a deploy landing between the read and the write is not rolled over', async () => {
    h.api.seed(deployment('shop', 'web', { image: 'web:1.4.2' }));
    const setImage = (tag: string) => {
      const d = h.api.store.get('deployments', 'shop', 'web');
      d.spec.template.spec.containers[0].image = tag;
      h.api.store.put('deployments', d);
      h.api.store.reconcile(true);
    };
    setImage('web:1.5.0');
    beforeWrite('patch', () => setImage('web:1.6.0')); // CI deploys while Belay rolls back
    const outcome = await h.executor.execute(
      permit({ kind: 'rollback-deployment', target: { cluster: 'default', namespace: 'shop', name: 'web' } }),
    );
    assert.equal(outcome.reason, 'ChangedSince', outcome.message);
    assert.match(
      outcome.message,
      /changed to a new pod template \(web:1\.6\.0\).*while Belay was rolling it back/,
    );
    assert.equal(
      h.api.store.get('deployments', 'shop', 'web').spec.template.spec.containers[0].image,
      'web:1.6.0',
    );
  });

  it('scale: the patch carries the resourceVersion, and a count changed in between is read again', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 3 }));
    beforeWrite('patch', () => {
      const d = h.api.store.get('deployments', 'shop', 'web');
      h.api.store.put('deployments', { ...d, spec: { ...d.spec, replicas: 8 } });
    });
    const outcome = await h.executor.execute(
      permit({
        kind: 'scale',
        target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
        replicas: 5,
      }),
    );
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.match(outcome.message, /from 8 to 5 replicas/, 'the count replaced is the one read after the 409');
    const writes = h.api.writes().filter((r) => !r.dryRun);
    assert.ok(writes.every((r) => /^\d+$/.test(r.body.metadata.resourceVersion)));
    assert.equal(writes.length, 2, 'the stale write met 409; the second was computed from a fresh read');
  });

  it('patch-configmap: the patch carries the resourceVersion, and another key changed in between survives', async () => {
    h.api.seed({
      kind: 'ConfigMap',
      metadata: { name: 'web-config', namespace: 'shop' },
      data: { LOG_LEVEL: 'info', DB_URL: 'postgres://db' },
    });
    beforeWrite('patch', () => {
      const cm = h.api.store.get('configmaps', 'shop', 'web-config');
      h.api.store.put('configmaps', { ...cm, data: { ...cm.data, DB_URL: 'postgres://db2' } });
    });
    const outcome = await h.executor.execute(
      permit({
        kind: 'patch-configmap',
        target: { cluster: 'default', namespace: 'shop', name: 'web-config' },
        data: { LOG_LEVEL: 'debug' },
      }),
    );
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.deepEqual(h.api.store.get('configmaps', 'shop', 'web-config').data, {
      LOG_LEVEL: 'debug',
      DB_URL: 'postgres://db2',
    });
    assert.equal(h.api.writes().filter((r) => !r.dryRun).length, 2);
  });

  it('the fake API server records managedFields: manager, time, subresource, and ownership moving on', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 3 }));
    await h.executor.execute(
      permit({
        kind: 'scale',
        target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
        replicas: 4,
      }),
    );
    const fields = h.api.store.get('deployments', 'shop', 'web').metadata.managedFields;
    assert.deepEqual(fields, [
      {
        manager: 'belay',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2026-03-10T02:17:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        subresource: 'scale',
      },
    ]);
    // An HPA scales later: spec.replicas is now kube-controller-manager's, and Belay's entry, empty, goes.
    h.clock.advance(60_000);
    const apps = h.api.kubeConfig().makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeploymentScale(
      {
        name: 'web',
        namespace: 'shop',
        body: { spec: { replicas: 6 } },
        fieldManager: 'kube-controller-manager',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const after = h.api.store.get('deployments', 'shop', 'web').metadata.managedFields;
    assert.deepEqual(
      after.map((e: { manager: string; time: string }) => [e.manager, e.time]),
      [['kube-controller-manager', '2026-03-10T02:18:00Z']],
    );
  });
});
