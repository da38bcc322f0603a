import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKubeReader, READER_PERMISSIONS } from '../../../src/kube/index.ts';
import { createFleetSizeCache, readFleetSize } from '../../../src/observe/kubernetes/index.ts';
import { fakeClock } from '../../fakes/fake-clock.ts';
import { FakeKubeApi } from '../../fakes/kube-api-server.ts';

describe('fleet size cache', () => {
  it('says the cluster has not been read before the first reading, and never waits for one', async () => {
    const clock = fakeClock('2026-03-14T10:00:00Z');
    let reads = 0;
    const cache = createFleetSizeCache({
      read: async () => {
        reads++;
        return { pods: 10, namespaces: 2, workloads: 3 };
      },
      clock,
      ttlMs: 60_000,
    });
    assert.deepEqual(cache.current(), { known: false, reason: 'the cluster has not been read yet' });
    await cache.refresh();
    assert.deepEqual(cache.current(), {
      known: true,
      size: { pods: 10, namespaces: 2, workloads: 3 },
      at: '2026-03-14T10:00:00.000Z',
    });
    assert.equal(reads, 1, 'current() within the TTL reads nothing');
    clock.advance(60_000);
    cache.current(); // stale: a refresh starts in the background
    await cache.refresh();
    assert.equal(reads, 2, 'the stale read and the explicit refresh share one read');
  });

  it('a failed read makes the size unknown, with the first line of the reason', async () => {
    const clock = fakeClock('2026-03-14T10:00:00Z');
    let fail = false;
    const cache = createFleetSizeCache({
      read: async () => {
        if (fail) throw new Error('HTTP-Code: 403\nMessage: namespaces is forbidden\nBody: {...}');
        return { pods: 1, namespaces: 1, workloads: 1 };
      },
      clock,
      ttlMs: 60_000,
    });
    await cache.refresh();
    fail = true;
    await cache.refresh();
    assert.deepEqual(cache.current(), {
      known: false,
      reason: 'the cluster could not be read (HTTP-Code: 403)',
    });
  });
});

describe('readFleetSize', () => {
  it('counts pods and namespaces, and each Deployment once however many ReplicaSets and pods it has', async (t) => {
    const kube = await FakeKubeApi.start({
      clock: fakeClock('2026-03-14T10:00:00Z'),
      tokens: { reader: { user: 'reader', grants: [...READER_PERMISSIONS] } },
    });
    t.after(() => kube.close());
    kube.seedPods('shop', 3, 'web');
    kube.seedPods('shop', 2, 'cart');
    kube.seedPods('staging', 4, 'api');
    const reader = createKubeReader(kube.kubeConfig('reader'), { requestTimeoutMs: 5_000 });
    const size = await readFleetSize([reader]);
    assert.deepEqual(size, {
      pods: kube.store.list('pods', undefined).length,
      namespaces: kube.store.list('namespaces', undefined).length,
      workloads: 3,
    });
    assert.equal(size.pods, 9);
  });
});
