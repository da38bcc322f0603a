import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCorrelator, InMemoryIncidentStore } from '../../../src/observe/correlate/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { alert, replicaSetPod } from './alert-factory.ts';

describe('alert storms counted in pods and alerts', () => {
  it('200 crash-looping pods of 5 Deployments across 5 namespaces is a storm', async () => {
    const store = new InMemoryIncidentStore();
    const correlator = createCorrelator({ store, clock: new ManualClock() });
    const alerts = Array.from({ length: 200 }, (_, n) =>
      alert({
        namespace: `team-${n % 5}`,
        deployment: `api-${n % 5}`,
        pod: replicaSetPod(`api-${n % 5}`, n),
      }),
    );
    const result = await correlator.ingest(alerts);
    assert.equal(store.incidents.size, 5, 'one incident per workload');
    assert.equal(result.storm, true);
    assert.ok([...store.incidents.values()].every((i) => i.storm));
  });

  it('a few pods of a few workloads are not', async () => {
    const store = new InMemoryIncidentStore();
    const correlator = createCorrelator({ store, clock: new ManualClock() });
    const alerts = Array.from({ length: 12 }, (_, n) =>
      alert({ deployment: `api-${n % 3}`, pod: replicaSetPod(`api-${n % 3}`, n) }),
    );
    assert.equal((await correlator.ingest(alerts)).storm, false);
  });
});
