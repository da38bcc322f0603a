import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { permissionKey } from '../../../src/act/index.ts';
import { READER_PERMISSIONS } from '../../../src/kube/index.ts';
import { gatherFacts } from '../../../src/observe/kubernetes/index.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

describe('the investigation client can only read', () => {
  let h: ReadHarness;
  before(async () => {
    h = await readHarness({ grants: READER_PERMISSIONS });
    seedShop(h.api);
  });
  after(() => h.close());

  it('the reader exposes get, list and log, and nothing else', () => {
    assert.deepEqual(Object.keys(h.reader).sort(), ['get', 'list', 'log']);
    assert.ok(Object.isFrozen(h.reader));
    for (const value of Object.values(h.reader)) assert.equal(typeof value, 'function');
    assert.equal(
      READER_PERMISSIONS.some((p) => p.resource === 'secrets'),
      false,
      'no Secrets',
    );
    assert.ok(READER_PERMISSIONS.every((p) => ['get', 'list'].includes(p.verb)));
  });

  it('every tool and gatherFacts run under a read-only token, and no request other than GET arrives', async () => {
    const pod = h.api.store.list('pods', 'shop')[0].metadata.name;
    const inputs: Record<string, unknown> = {
      pods_list: { namespace: 'shop' },
      pod_get: { namespace: 'shop', name: pod },
      events_list: { namespace: 'shop', name: pod },
      pod_logs: { namespace: 'shop', pod },
      workload_get: { namespace: 'shop', kind: 'Deployment', name: 'web' },
      rollout_history: { namespace: 'shop', name: 'web' },
      cronjobs_list: { namespace: 'databases' },
      namespace_get: { namespace: 'shop' },
    };
    assert.deepEqual([...h.tools.keys()].sort(), Object.keys(inputs).sort());
    for (const [name, input] of Object.entries(inputs)) {
      const result = await h.run(name, input);
      assert.equal(
        (result.data as { error?: string }).error,
        undefined,
        `${name}: ${JSON.stringify(result.data)}`,
      );
    }
    await gatherFacts(
      {
        reader: h.reader,
        clock: h.clock,
        occurrencesAt: () => [],
        backups: {
          marginMs: 0,
          assumedDurationMs: 0,
          recentRuns: 5,
          namespaces: ['databases'],
          failClosed: true,
        },
      },
      { kind: 'restart-pod', target: { cluster: 'default', namespace: 'shop', pod } },
    );
    const readerRequests = h.api.requests.filter((r) => r.user.includes('belay-reader'));
    assert.ok(readerRequests.length > 10);
    assert.deepEqual([...new Set(readerRequests.map((r) => r.method))], ['GET']);
    const allowed = new Set(READER_PERMISSIONS.map(permissionKey));
    for (const r of readerRequests) assert.ok(allowed.has(permissionKey(r)), permissionKey(r));
  });
});
