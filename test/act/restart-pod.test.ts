import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deployment, statefulSet } from '../fakes/kube-api-server.ts';
import { type Harness, harness, permit } from './act-harness.ts';

const restart = (pod: string, namespace = 'shop') =>
  ({ kind: 'restart-pod', target: { cluster: 'default', namespace, pod } }) as const;

describe('restart-pod executor (eviction)', () => {
  let h: Harness;
  let pod: string;
  beforeEach(async () => {
    h = await harness();
    h.api.seed(deployment('shop', 'web', { replicas: 2 }));
    pod = h.api.store.list('pods', 'shop')[0].metadata.name;
  });
  afterEach(() => h.close());

  it('evicts the pod, dry run first, and waits for a Ready replacement under a new name', async () => {
    h.api.readyDelayMs = 30_000;
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    const evictions = h.api.requests.filter((r) => r.resource === 'pods/eviction');
    assert.deepEqual(
      evictions.map((r) => r.dryRun),
      [true, false],
    );
    assert.equal(h.api.store.get('pods', 'shop', pod), undefined);
    const pods = h.api.store.list('pods', 'shop');
    assert.equal(pods.length, 2);
    assert.ok(outcome.verification && outcome.verification.waitedMs >= 30_000);
    assert.match(outcome.message, /replacement web-\w+-\w+ is Ready/);
    assert.equal(outcome.revert, undefined, 'a restart has no inverse');
  });

  it('a StatefulSet pod comes back under the same name', async () => {
    h.api.seed(statefulSet('databases', 'postgres'));
    h.api.readyDelayMs = 10_000;
    const outcome = await h.executor.execute(permit(restart('postgres-0', 'databases')));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.match(outcome.message, /postgres-0 was recreated and is Ready/);
  });

  it('dry run only: the server is asked, nothing is evicted', async () => {
    const outcome = await h.executor.execute(permit(restart(pod), true));
    assert.equal(outcome.status, 'dry-run-ok');
    assert.ok(h.api.store.get('pods', 'shop', pod));
    assert.deepEqual(
      h.api.writes().map((r) => r.dryRun),
      [true],
    );
  });

  it('reports a PodDisruptionBudget refusal as such and does not retry', async () => {
    h.api.seed({
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb', namespace: 'shop' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 0, desiredHealthy: 2, currentHealthy: 2 },
    });
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.httpStatus, 429);
    assert.equal(outcome.reason, 'DisruptionBudget');
    // The fake answers as eviction.go does: 429 TooManyRequests with a DisruptionBudget cause naming the budget.
    assert.match(
      outcome.message,
      /refused by PodDisruptionBudget web-pdb, which allows 0 disruptions right now: it needs 2 healthy pods and has 2/,
    );
    assert.match(outcome.message, /not API throttling \(kubectl get pdb web-pdb -n shop\)/);
    assert.match(outcome.message, /Nothing was changed\. Belay did not retry/);
    assert.equal(h.api.writes().length, 1, 'only the dry run reached the server');
    assert.ok(h.api.store.get('pods', 'shop', pod));
  });

  it('verification fails when the replacement never becomes Ready', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.status, 'verification-failed');
    assert.equal(outcome.verification?.ok, false);
    assert.equal(outcome.verification?.waitedMs, 120_000);
    assert.match(
      outcome.message,
      new RegExp(
        `Pod shop/${pod} was evicted, but its replacement was not seen Ready within 120s: replacement web-\\S+ is not Ready yet`,
      ),
    );
    assert.doesNotMatch(outcome.message, /Nothing was changed/, 'the pod was evicted: something changed');
  });

  it('a StatefulSet pod that is gone during verification reads as not recreated yet, never "nothing was changed"', async () => {
    h.api.seed(statefulSet('databases', 'postgres'));
    // The first read (before the eviction) sees the pod; every read after it finds no such pod.
    h.api.inject({
      method: 'GET',
      path: '/api/v1/namespaces/databases/pods/postgres-0',
      status: 404,
      after: 1,
      times: 1_000,
    });
    const outcome = await h.executor.execute(permit(restart('postgres-0', 'databases')));
    assert.equal(outcome.status, 'verification-failed');
    assert.match(
      outcome.message,
      /Pod databases\/postgres-0 was evicted, but its replacement was not seen Ready within 120s: postgres-0 is gone and has not been recreated yet/,
    );
    assert.doesNotMatch(outcome.message, /Nothing was changed|not found/);
  });

  it('a read that fails during verification says why the replacement is not seen', async () => {
    h.api.readyDelayMs = Number.POSITIVE_INFINITY;
    h.api.inject({ method: 'GET', path: /\/pods$/, status: 503, after: 1, times: 1_000 });
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.status, 'verification-failed');
    assert.match(
      outcome.message,
      /was evicted, but its replacement was not seen Ready within 120s: Belay could not read the pods to check \(503/,
    );
    assert.doesNotMatch(outcome.message, /Nothing was changed/);
  });

  it('refuses a pod no controller would replace', async () => {
    h.api.seed({
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop' },
      spec: { containers: [{ name: 'a', image: 'busybox' }] },
    });
    const outcome = await h.executor.execute(permit(restart('debug')));
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.message, /no controller owns it/);
    assert.equal(h.api.writes().length, 0);
  });

  it('404: the pod is gone', async () => {
    const outcome = await h.executor.execute(permit(restart('web-gone')));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.httpStatus, 404);
    assert.match(outcome.message, /pod shop\/web-gone was not found/i);
  });

  it('500 from the API server on the eviction is a failure that says nothing was changed', async () => {
    h.api.inject({ method: 'POST', path: /\/eviction$/, status: 500, message: 'etcdserver: leader changed' });
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.httpStatus, 500);
    assert.match(outcome.message, /leader changed.*Nothing was changed/);
  });

  it('429 throttling that is not a PodDisruptionBudget says to try later', async () => {
    h.api.inject({ method: 'POST', path: /\/eviction$/, status: 429, message: 'too many requests' });
    const outcome = await h.executor.execute(permit(restart(pod)));
    assert.equal(outcome.reason, 'TooManyRequests');
    assert.match(outcome.message, /throttling.*retry after 1s/);
  });
});

describe('restart-pod executor failures that need their own server', () => {
  it('403 names the missing permission', async () => {
    const h = await harness({ grants: [{ group: '', resource: 'pods', verb: 'get' }] });
    try {
      h.api.seed(deployment('shop', 'web'));
      const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
      const outcome = await h.executor.execute(permit(restart(pod)));
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.httpStatus, 403);
      assert.match(outcome.message, /the ServiceAccount may not create pods\/eviction in namespace shop/i);
      assert.ok(h.api.store.get('pods', 'shop', pod));
    } finally {
      await h.close();
    }
  });

  it('a request the API server never answers times out on the request timeout', async () => {
    const h = await harness({ requestTimeoutMs: 150 });
    try {
      h.api.seed(deployment('shop', 'web'));
      const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
      h.api.inject({ method: 'POST', path: /\/eviction$/, hang: true });
      const outcome = await h.executor.execute(permit(restart(pod)));
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.reason, 'Timeout');
      assert.match(outcome.message, /No answer from the API server/);
    } finally {
      await h.close();
    }
  });

  it('401: credentials the API server does not accept', async () => {
    const h = await harness({ token: 'expired-token' });
    try {
      const outcome = await h.executor.execute(permit(restart('web-1')));
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.httpStatus, 401);
      assert.match(outcome.message, /did not accept Belay's credentials.*Nothing was changed/);
      assert.equal(h.api.writes().length, 0);
    } finally {
      await h.close();
    }
  });

  it('an unknown cluster is refused, not thrown', async () => {
    const h = await harness();
    try {
      const outcome = await h.executor.execute(
        permit({ kind: 'restart-pod', target: { cluster: 'prod-eu', namespace: 'shop', pod: 'web-1' } }),
      );
      assert.equal(outcome.status, 'refused');
      assert.match(outcome.message, /no credentials for cluster "prod-eu"/);
    } finally {
      await h.close();
    }
  });
});
