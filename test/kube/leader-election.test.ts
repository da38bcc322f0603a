import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { createStateStore } from '../../src/govern/store/index.ts';
import { createLeaderElector, NotLeaderError } from '../../src/kube/leader-election.ts';
import { createLeaseLock, LEASE_PERMISSIONS } from '../../src/kube/lease-lock.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

const timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
describe('leader election on a coordination.k8s.io/v1 Lease (two instances, one fake cluster)', () => {
  let api: FakeKubeApi;
  let clock: ManualClock;
  let n = 0;
  before(async () => {
    clock = new ManualClock('2026-03-10T02:17:00Z');
    api = await FakeKubeApi.start({
      clock,
      tokens: {
        writer: { user: 'system:serviceaccount:belay:belay-writer', grants: [...LEASE_PERMISSIONS] },
        nolease: { user: 'system:serviceaccount:belay:belay-reader', grants: [] },
      },
    });
  });
  after(() => api.close());

  /** Two candidates on a fresh Lease; their loops never sleep on their own: each test moves time. */
  function pair() {
    const lease = { name: `belay-leader-${++n}`, namespace: 'belay', requestTimeoutMs: 5_000 };
    const make = (identity: string) =>
      createLeaderElector({
        lock: createLeaseLock(api.kubeConfig('writer'), lease),
        identity,
        clock,
        timing,
        sleep: async () => {},
      });
    return { a: make('belay-a'), b: make('belay-b'), lease };
  }
  const leaseObject = (name: string) => api.store.get('leases', 'belay', name);

  it('of two instances starting together exactly one leads; the other waits and its writes are fenced', async () => {
    const { a, b, lease } = pair();
    const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
    assert.deepEqual(results.filter(Boolean).length, 1, 'exactly one won the create');
    const [leader, standby] = results[0] ? [a, b] : [b, a];
    assert.equal(leaseObject(lease.name).spec.holderIdentity, leader.identity);
    assert.equal(leaseObject(lease.name).spec.leaseTransitions, 0);
    assert.ok(leader.isLeader());
    assert.throws(() => standby.assertLeader(), NotLeaderError);
    // Renewals keep it; the standby, trying every retry period, never gets in while they do.
    for (let i = 0; i < 10; i++) {
      clock.advance(timing.retryPeriodMs);
      assert.equal(await leader.tryAcquireOrRenew(), true);
      assert.equal(await standby.tryAcquireOrRenew(), false);
    }
    assert.equal(leaseObject(lease.name).spec.holderIdentity, leader.identity);
    assert.equal(Date.parse(leaseObject(lease.name).spec.renewTime), clock.now().getTime());
  });

  it('a paused leader is replaced after the lease expires, and on waking its writes are refused and it stops', async (t) => {
    const { a, b, lease } = pair();
    assert.equal(await a.tryAcquireOrRenew(), true);
    assert.equal(await b.tryAcquireOrRenew(), false);
    const pausedAt = clock.now().getTime();
    // A is paused (a stop-the-world pause, a frozen node): its timers do not run, wall time goes on.
    let takeoverMs: number | undefined;
    for (let step = 0; step < 20 && takeoverMs === undefined; step++) {
      clock.advance(timing.retryPeriodMs);
      assert.ok(!b.isLeader());
      if (await b.tryAcquireOrRenew()) takeoverMs = clock.now().getTime() - pausedAt;
    }
    assert.ok(takeoverMs !== undefined, 'the standby took over');
    t.diagnostic(
      `takeover after the leader's last renewal: ${takeoverMs / 1000} s (lease ${timing.leaseDurationMs / 1000} s, retry ${timing.retryPeriodMs / 1000} s)`,
    );
    assert.ok(takeoverMs > timing.leaseDurationMs, 'never before the lease expired');
    assert.ok(
      takeoverMs <= timing.leaseDurationMs + timing.retryPeriodMs,
      'within one retry period after expiry',
    );
    const spec = leaseObject(lease.name).spec;
    assert.equal(spec.holderIdentity, 'belay-b');
    assert.equal(spec.leaseTransitions, 1);
    assert.equal(Date.parse(spec.acquireTime), clock.now().getTime());

    // A wakes up. Its first write, before any renewal attempt, is fenced and changes nothing.
    const dir = await mkdtemp(join(tmpdir(), 'belay-fence-'));
    try {
      const store = await createStateStore({ dir, clock, fence: () => a.assertLeader() });
      await assert.rejects(
        store.recordApproved('restart-pod:shop/web'),
        (e: Error) =>
          e instanceof NotLeaderError &&
          /no longer holds lease belay\/belay-leader-\d+; belay-b does|no longer holds lease belay\/belay-leader-\d+/.test(
            e.message,
          ),
      );
      assert.deepEqual(store.approvedBefore(), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Its renewal loop then sees the new holder and gives up for good, without touching the Lease.
    const version = leaseObject(lease.name).metadata.resourceVersion;
    assert.match((await a.renewUntilLost()) ?? '', /is now held by belay-b/);
    assert.equal(leaseObject(lease.name).metadata.resourceVersion, version);
    assert.equal(await a.tryAcquireOrRenew(), false, 'a deposed instance never leads again: it exits');
    assert.ok(b.isLeader());
  });

  it('a leader that cannot renew within the renew deadline stops before a standby could take over', async () => {
    const { lease } = pair();
    let steps = 0;
    const loop = createLeaderElector({
      lock: createLeaseLock(api.kubeConfig('writer'), lease),
      identity: 'belay-a',
      clock,
      timing,
      sleep: async (ms) => {
        steps++;
        clock.advance(ms);
      },
    });
    assert.equal(await loop.tryAcquireOrRenew(), true);
    api.inject({
      path: `/apis/coordination.k8s.io/v1/namespaces/belay/leases/${lease.name}`,
      status: 503,
      times: 100,
    });
    const reason = await loop.renewUntilLost();
    assert.match(reason ?? '', /could not renew lease belay\/belay-leader-\d+ within 10s .*503/);
    assert.ok(steps * timing.retryPeriodMs >= timing.renewDeadlineMs);
    assert.ok(steps * timing.retryPeriodMs < timing.leaseDurationMs, 'gave up before the lease expired');
    assert.throws(() => loop.assertLeader(), NotLeaderError);
  });

  it('release hands the lease back so the standby takes over at once', async () => {
    const { a, b, lease } = pair();
    assert.equal(await a.tryAcquireOrRenew(), true);
    assert.equal(await b.tryAcquireOrRenew(), false);
    await a.release();
    assert.equal(leaseObject(lease.name).spec.holderIdentity, '');
    assert.equal(await b.tryAcquireOrRenew(), true);
    assert.throws(() => a.assertLeader(), NotLeaderError);
  });

  it('the fake API server answers like a real one: 409 Conflict on a stale resourceVersion, 409 AlreadyExists on create', async () => {
    const { lease } = pair();
    const lock = createLeaseLock(api.kubeConfig('writer'), lease);
    const now = clock.now();
    const record = {
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    const created = await lock.create(record);
    await assert.rejects(
      lock.create(record),
      /creating .*HTTP 409: leases.coordination.k8s.io ".*" already exists/,
    );
    await lock.update({ ...record, holderIdentity: 'y' }, created.resourceVersion);
    await assert.rejects(
      lock.update({ ...record, holderIdentity: 'z' }, created.resourceVersion),
      /updating .*HTTP 409: .*the object has been modified/,
    );
    assert.equal((await lock.get())?.record.holderIdentity, 'y');
    const status = JSON.parse(
      await (
        await fetch(`${api.url}/apis/coordination.k8s.io/v1/namespaces/belay/leases`, {
          method: 'POST',
          headers: { authorization: 'Bearer writer', 'content-type': 'application/json' },
          body: JSON.stringify({ metadata: { name: lease.name }, spec: {} }),
        })
      ).text(),
    );
    assert.equal(status.reason, 'AlreadyExists');
  });

  it('without RBAC on leases it never leads, and says which Role grants it', async () => {
    const elector = createLeaderElector({
      lock: createLeaseLock(api.kubeConfig('nolease'), {
        name: 'x',
        namespace: 'belay',
        requestTimeoutMs: 5_000,
      }),
      identity: 'c',
      clock,
      timing,
      sleep: async () => {},
    });
    assert.equal(await elector.tryAcquireOrRenew(), false);
    assert.match(elector.observed().lastError ?? '', /HTTP 403.*rbac-leader\.yaml/);
  });

  it('refuses timings under which two could lead at once, in the config and in code', () => {
    assert.throws(
      () =>
        createLeaderElector({
          lock: createLeaseLock(api.kubeConfig('writer'), {
            name: 'x',
            namespace: 'belay',
            requestTimeoutMs: 1,
          }),
          identity: 'c',
          clock,
          timing: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
          sleep: async () => {},
        }),
      /leaseDuration must be longer than renewDeadline/,
    );
    const loaded = loadConfig(
      'kubernetes:\n  lease: { leaseDuration: 10s, renewDeadline: 12s, cluster: nowhere }\n',
      'belay.yaml',
    );
    assert.equal(loaded.ok, false);
    const messages = loaded.ok ? [] : loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(String(messages), /leaseDuration must be longer than renewDeadline/);
    assert.match(String(messages), /"nowhere" is not one of the clusters/);
  });
});
