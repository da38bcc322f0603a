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

  it('reads a recent incident from the store once to flag it, not again for every later delivery of the storm', async () => {
    let reads = 0;
    const store = new (class extends InMemoryIncidentStore {
      override getIncident(id: string) {
        reads += 1;
        return super.getIncident(id);
      }
    })();
    const correlator = createCorrelator({ store, clock: new ManualClock() });
    // 20 workloads, one delivery each: the storm starts at the 10th, then flags the ones before it.
    const deliveries = Array.from({ length: 20 }, (_, w) => [
      alert({ deployment: `api-${w}`, pod: replicaSetPod(`api-${w}`, w) }),
    ]);
    for (const delivery of deliveries) await correlator.ingest(delivery);
    assert.ok(
      [...store.incidents.values()].every((i) => i.storm),
      'every incident is flagged',
    );
    const afterFlagging = reads;
    assert.ok(
      afterFlagging <= 20,
      `each recent incident read at most once to flag it (read ${afterFlagging} times)`,
    );
    // More deliveries of the same storm: nothing left to flag, so nothing is read again.
    for (const delivery of deliveries) await correlator.ingest(delivery);
    assert.equal(reads, afterFlagging);
  });
});
