import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { deployment } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

const rollback = (name: string, toRevision?: number) =>
  ({
    kind: 'rollback-deployment',
    target: { cluster: 'default', namespace: 'shop', name },
    ...(toRevision ? { toRevision } : {}),
  }) as const;

const image = (h: Harness) =>
  h.api.store.get('deployments', 'shop', 'web').spec.template.spec.containers[0].image;

describe('rollback-deployment executor (kubectl rollout undo)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    h.api.seed(deployment('shop', 'web', { image: 'web:1.4.2' }));
    // A deploy of 1.5.0 with a change-cause, through the API like kubectl set image.
    const apps = h.api.kubeConfig().makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1.5.0' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    h.api.requests.length = 0;
  });
  afterEach(() => h.close());

  it('goes back to the previous revision with a JSON patch, verifies, and reverts', async () => {
    assert.equal(image(h), 'web:1.5.0');
    const outcome = await h.executor.execute(permit(rollback('web')));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.equal(image(h), 'web:1.4.2');
    const [dry, real] = h.api.writes();
    assert.equal(real?.contentType, 'application/json-patch+json');
    assert.equal(dry?.dryRun, true);
    assert.deepEqual(
      real?.body.map((op: { op: string; path: string }) => [op.op, op.path]),
      [
        ['add', '/metadata/resourceVersion'],
        ['replace', '/spec/template'],
        ['replace', '/metadata/annotations'],
      ],
    );
    assert.match(
      real?.body[0].value,
      /^\d+$/,
      'the precondition: the resourceVersion the patch was computed from',
    );
    assert.equal(real?.body[1].value.metadata.labels['pod-template-hash'], undefined);
    assert.equal(
      real?.body[2].value['deployment.kubernetes.io/revision'],
      '2',
      'keeps the Deployment revision',
    );
    // The controller renumbers the restored ReplicaSet to latest + 1.
    assert.equal(
      h.api.store.get('deployments', 'shop', 'web').metadata.annotations['deployment.kubernetes.io/revision'],
      '3',
    );
    assert.equal(outcome.revert?.type, 'restore-revision');
    assert.match(outcome.message, /revision 2 \(web:1\.5\.0\) to revision 1 \(web:1\.4\.2\)/);

    const back = await h.executor.revert(
      outcome.revert as NonNullable<typeof outcome.revert>,
      permit(rollback('web')),
    );
    assert.equal(back.status, 'succeeded', back.message);
    assert.equal(image(h), 'web:1.5.0');
  });

  it('refuses when there is no previous revision', async () => {
    h.api.seed(deployment('shop', 'fresh'));
    const outcome = await h.executor.execute(permit(rollback('fresh')));
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.message, /No rollout history found/);
    assert.equal(h.api.writes().length, 0);
  });

  it('refuses a revision that does not exist', async () => {
    const outcome = await h.executor.execute(permit(rollback('web', 7)));
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.message, /Unable to find revision 7/);
  });

  it('refuses when the template already matches the revision asked for', async () => {
    const outcome = await h.executor.execute(permit(rollback('web', 2)));
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.reason, 'NoChange');
  });

  it('dry run only leaves the Deployment as it was', async () => {
    const outcome = await h.executor.execute(permit(rollback('web'), true));
    assert.equal(outcome.status, 'dry-run-ok');
    assert.equal(image(h), 'web:1.5.0');
  });

  it('verification fails when the old pods do not come back Ready', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    const outcome = await h.executor.execute(permit(rollback('web')));
    assert.equal(outcome.status, 'verification-failed');
    assert.equal(outcome.revert?.type, 'restore-revision', 'the revert is still recorded');
  });

  it('a revert record for another proposal is refused', async () => {
    const outcome = await h.executor.execute(permit(rollback('web')));
    const other = await h.executor.revert(
      outcome.revert as NonNullable<typeof outcome.revert>,
      permit(rollback('web'), false, 'p-2'),
    );
    assert.equal(other.status, 'refused');
    assert.equal(other.reason, 'SnapshotMismatch');
  });
});
