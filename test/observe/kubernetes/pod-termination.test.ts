import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { lastTermination, memoryLimitBytes } from '../../../src/observe/kubernetes/pod-summary.ts';

const pod = (statuses: object[], containers: object[]) =>
  ({ spec: { containers }, status: { containerStatuses: statuses } }) as unknown as V1Pod;

describe('the pod facts the orienter reads', () => {
  const containers = [
    { name: 'app', resources: { limits: { memory: '1Gi' } } },
    { name: 'sidecar', resources: { limits: { memory: '128Mi' } } },
    { name: 'nolimit' },
  ];

  it('the most recent termination across containers, current or last, with its container’s limit', () => {
    const p = pod(
      [
        {
          name: 'app',
          lastState: { terminated: { reason: 'Error', finishedAt: new Date('2026-03-10T01:00:00Z') } },
        },
        {
          name: 'sidecar',
          state: { terminated: { reason: 'OOMKilled', finishedAt: new Date('2026-03-10T02:00:00Z') } },
        },
      ],
      containers,
    );
    assert.deepEqual(lastTermination(p), { container: 'sidecar', reason: 'OOMKilled' });
    assert.equal(memoryLimitBytes(p, 'sidecar'), 128 * 2 ** 20);
  });

  it('no termination: no reason, and the largest limit in the pod', () => {
    const p = pod([{ name: 'app', state: { running: {} } }], containers);
    assert.equal(lastTermination(p), undefined);
    assert.equal(memoryLimitBytes(p), 2 ** 30);
    assert.equal(
      memoryLimitBytes(p, 'nolimit'),
      2 ** 30,
      'a container without a limit falls back to the largest',
    );
  });

  it('no limits, or unreadable ones, give no limit rather than a wrong one', () => {
    assert.equal(
      memoryLimitBytes(pod([], [{ name: 'a' }, { name: 'b', resources: { limits: { memory: 'lots' } } }])),
      undefined,
    );
    assert.equal(memoryLimitBytes(pod([], [{ name: 'a', resources: { limits: { memory: '5e9' } } }])), 5e9);
  });
});
