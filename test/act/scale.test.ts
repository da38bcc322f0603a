import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deployment, statefulSet } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

const scale = (
  workloadKind: 'Deployment' | 'StatefulSet',
  name: string,
  replicas: number,
  namespace = 'shop',
) => ({ kind: 'scale', target: { cluster: 'default', namespace, workloadKind, name }, replicas }) as const;

describe('scale executor', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    h.api.seed(
      deployment('shop', 'web', { replicas: 2 }),
      statefulSet('databases', 'postgres', { replicas: 1 }),
    );
  });
  afterEach(() => h.close());

  it('merge-patches the scale subresource, waits for ready replicas, and reverts to the recorded count', async () => {
    h.api.readyDelayMs = 15_000;
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 5)));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    const writes = h.api.writes();
    assert.deepEqual(
      writes.map((r) => [r.resource, r.contentType, r.dryRun]),
      [
        ['deployments/scale', 'application/merge-patch+json', true],
        ['deployments/scale', 'application/merge-patch+json', false],
      ],
    );
    assert.equal(h.api.store.list('pods', 'shop').length, 5);
    assert.deepEqual(
      outcome.revert && {
        type: outcome.revert.type,
        replicas: 'replicas' in outcome.revert && outcome.revert.replicas,
      },
      {
        type: 'restore-replicas',
        replicas: 2,
      },
    );
    const back = await h.executor.revert(
      outcome.revert as NonNullable<typeof outcome.revert>,
      permit(scale('Deployment', 'web', 5)),
    );
    assert.equal(back.status, 'succeeded', back.message);
    assert.equal(h.api.store.get('deployments', 'shop', 'web').spec.replicas, 2);
    assert.equal(h.api.store.list('pods', 'shop').length, 2);
  });

  it('scales a StatefulSet', async () => {
    const outcome = await h.executor.execute(permit(scale('StatefulSet', 'postgres', 3, 'databases')));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.deepEqual(
      h.api.store.list('pods', 'databases').map((p) => p.metadata.name),
      ['postgres-0', 'postgres-1', 'postgres-2'],
    );
  });

  it('re-reads and retries after a 409 Conflict, and records the count it actually replaced', async () => {
    h.api.inject({ method: 'PATCH', path: /\/scale$/, status: 409, message: 'the object has been modified' });
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 4)));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.equal(
      h.api.requests.filter((r) => r.resource === 'deployments/scale' && r.verb === 'get').length,
      2,
    );
  });

  it('gives up after the bounded number of conflicts, changing nothing', async () => {
    h.api.inject({ method: 'PATCH', path: /\/scale$/, status: 409, times: 3 });
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 4)));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.httpStatus, 409);
    assert.match(outcome.message, /kept changing/);
    assert.equal(h.api.store.get('deployments', 'shop', 'web').spec.replicas, 2);
  });

  it('a stale resourceVersion is a real 409 from the server', async () => {
    // An HPA scales to 3 between Belay's read and its dry run: the server's own precondition check answers 409.
    let raced = false;
    h.api.onRequest = (r) => {
      if (r.method === 'PATCH' && !raced) {
        raced = true;
        h.api.store.put('deployments', {
          ...h.api.store.get('deployments', 'shop', 'web'),
          spec: { ...h.api.store.get('deployments', 'shop', 'web').spec, replicas: 3 },
        });
      }
    };
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 4)));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.equal(
      outcome.revert?.type === 'restore-replicas' && outcome.revert.replicas,
      3,
      'the count replaced, not the stale one',
    );
  });

  it('refuses when already at the count', async () => {
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 2)));
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.reason, 'NoChange');
  });

  it('dry run only', async () => {
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 0), true));
    assert.equal(outcome.status, 'dry-run-ok');
    assert.equal(h.api.store.get('deployments', 'shop', 'web').spec.replicas, 2);
    assert.equal(outcome.revert, undefined);
  });

  it('verification fails when the new replicas never become Ready, and the revert is still recorded', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    const outcome = await h.executor.execute(permit(scale('Deployment', 'web', 4)));
    assert.equal(outcome.status, 'verification-failed');
    assert.equal(outcome.revert?.type, 'restore-replicas');
    assert.match(outcome.message, /Revert scales it back to 2/);
  });

  it('404 for a workload that does not exist', async () => {
    const outcome = await h.executor.execute(permit(scale('Deployment', 'nope', 1)));
    assert.equal(outcome.httpStatus, 404);
  });
});
