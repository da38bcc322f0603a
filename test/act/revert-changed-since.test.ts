// A revert never clobbers a newer change: the inverse runs only while the target still holds what Belay
// wrote. Someone else's change is named (what, when, by which field manager) and nothing is written.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { RevertSnapshot } from '../../src/act/index.ts';
import { deployment } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const hhmm = (h: Harness) => `${h.clock.now().toISOString().slice(11, 16)} UTC`;

describe('revert refuses when the target changed since Belay wrote it', () => {
  let h: Harness;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  beforeEach(async () => {
    h = await harness();
    apps = h.api.kubeConfig().makeApiClient(AppsV1Api);
    core = h.api.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterEach(() => h.close());

  const scale = (replicas: number) =>
    ({
      kind: 'scale',
      target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
      replicas,
    }) as const;
  const replicas = () => h.api.store.get('deployments', 'shop', 'web').spec.replicas;
  const realWrites = () => h.api.writes().filter((r) => !r.dryRun);

  it('scale: an HPA scaled 5 → 8 after Belay scaled 3 → 5, so Revert does not set 3', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 3 }));
    const done = await h.executor.execute(permit(scale(5)));
    assert.equal(done.status, 'succeeded', done.message);
    assert.equal(
      (done.revert as { setReplicas?: number }).setReplicas,
      5,
      'the post-action state is recorded',
    );
    h.clock.advance(15 * 60_000);
    // The HPA writes through the scale subresource as kube-controller-manager.
    await apps.patchNamespacedDeploymentScale(
      {
        name: 'web',
        namespace: 'shop',
        body: { spec: { replicas: 8 } },
        fieldManager: 'kube-controller-manager',
      },
      merge,
    );
    const at = hhmm(h);
    const before = realWrites().length;
    const back = await h.executor.revert(done.revert as RevertSnapshot, permit(scale(5)));
    assert.equal(back.status, 'refused');
    assert.equal(back.reason, 'ChangedSince');
    assert.match(
      back.message,
      new RegExp(
        `Deployment shop/web was scaled to 8 replicas at ${at} by kube-controller-manager \\(a HorizontalPodAutoscaler\\?\\) after Belay set 5: scaling it back to 3 would undo that`,
      ),
    );
    assert.match(back.message, /\/remediate propose scale shop\/deployment\/web replicas=N/);
    assert.equal(replicas(), 8, 'the newer change stands');
    assert.equal(realWrites().length, before, 'nothing was written');
  });

  it('scale: a change landing between the revert’s read and its write is a 409, reported the same way', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 3 }));
    const done = await h.executor.execute(permit(scale(5)));
    let raced = false;
    h.api.onRequest = (r) => {
      if (raced || r.method !== 'PATCH' || r.dryRun) return;
      raced = true; // someone scales to 8 after the revert's dry run, just before its write lands
      const d = h.api.store.get('deployments', 'shop', 'web');
      h.api.store.put('deployments', { ...d, spec: { ...d.spec, replicas: 8 } });
    };
    const back = await h.executor.revert(done.revert as RevertSnapshot, permit(scale(5)));
    assert.equal(back.reason, 'ChangedSince', back.message);
    assert.match(
      back.message,
      /was scaled to 8 replicas \(Kubernetes does not record by whom\) after Belay set 5/,
    );
    assert.equal(replicas(), 8);
    const conflicts = h.api.requests.filter((r) => r.resource === 'deployments/scale' && r.verb === 'patch');
    // Belay's scale, then the revert's write (409), and no second attempt.
    assert.equal(
      conflicts.filter((r) => !r.dryRun).length,
      2,
      'the revert wrote once, met 409, did not retry',
    );
  });

  it('scale: with the target still as Belay left it, Revert goes ahead', async () => {
    h.api.seed(deployment('shop', 'web', { replicas: 3 }));
    const done = await h.executor.execute(permit(scale(5)));
    const back = await h.executor.revert(done.revert as RevertSnapshot, permit(scale(5)));
    assert.equal(back.status, 'succeeded', back.message);
    assert.equal(replicas(), 3);
  });

  it('patch-configmap: a person changed the key Belay set, so Revert leaves it', async () => {
    h.api.seed({
      kind: 'ConfigMap',
      metadata: { name: 'web-config', namespace: 'shop' },
      data: { LOG_LEVEL: 'info' },
    });
    const action = {
      kind: 'patch-configmap',
      target: { cluster: 'default', namespace: 'shop', name: 'web-config' },
      data: { LOG_LEVEL: 'debug' },
    } as const;
    const done = await h.executor.execute(permit(action));
    assert.equal(done.status, 'succeeded', done.message);
    h.clock.advance(5 * 60_000);
    await core.patchNamespacedConfigMap(
      {
        name: 'web-config',
        namespace: 'shop',
        body: { data: { LOG_LEVEL: 'warn' } },
        fieldManager: 'kubectl-edit',
      },
      merge,
    );
    const at = hhmm(h);
    const back = await h.executor.revert(done.revert as RevertSnapshot, permit(action));
    assert.equal(back.reason, 'ChangedSince', back.message);
    assert.match(
      back.message,
      new RegExp(
        `ConfigMap shop/web-config was changed: LOG_LEVEL is now "warn" at ${at} by kubectl-edit \\(someone with kubectl\\) after Belay set LOG_LEVEL to "debug"`,
      ),
    );
    assert.equal(h.api.store.get('configmaps', 'shop', 'web-config').data.LOG_LEVEL, 'warn');
  });

  it('rollback-deployment: a deploy after Belay’s rollback is not rolled over by Revert', async () => {
    h.api.seed(deployment('shop', 'web', { image: 'web:1.4.2' }));
    const image = (tag: string) => ({
      name: 'web',
      namespace: 'shop',
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: tag }] } } } },
      fieldManager: 'argocd-controller',
    });
    await apps.patchNamespacedDeployment(image('web:1.5.0'), strategic);
    const action = {
      kind: 'rollback-deployment',
      target: { cluster: 'default', namespace: 'shop', name: 'web' },
    } as const;
    const done = await h.executor.execute(permit(action));
    assert.equal(done.status, 'succeeded', done.message);
    h.clock.advance(20 * 60_000);
    await apps.patchNamespacedDeployment(image('web:1.6.0'), strategic);
    const at = hhmm(h);
    const back = await h.executor.revert(done.revert as RevertSnapshot, permit(action));
    assert.equal(back.reason, 'ChangedSince', back.message);
    assert.match(
      back.message,
      new RegExp(
        `Deployment shop/web was changed to a new pod template \\(web:1.6.0\\) at ${at} by argocd-controller \\(Argo CD\\) after Belay rolled it back to web:1.4.2`,
      ),
    );
    assert.equal(
      h.api.store.get('deployments', 'shop', 'web').spec.template.spec.containers[0].image,
      'web:1.6.0',
    );
  });
});
