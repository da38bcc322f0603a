import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStateStore } from '../../../src/govern/store/index.ts';
import { createCorrelator, type IncidentStore } from '../../../src/observe/correlate/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { tempDir } from '../../govern/store/temp-dir.ts';
import { alert, replicaSetPod } from './alert-factory.ts';

describe('correlation on the real lowdb state store', () => {
  it('the state store is an IncidentStore, and incidents survive reopening it', async (t) => {
    const dir = await tempDir(t);
    const clock = new ManualClock();
    const stateStore = await createStateStore({ dir, clock });
    const store: IncidentStore = stateStore;
    const correlator = createCorrelator({ store, clock });
    const opened = await correlator.ingest([
      alert({ pod: replicaSetPod('web', 1) }),
      alert({ pod: replicaSetPod('web', 2) }),
    ]);
    assert.equal(opened.updates[0]?.investigate, true);
    assert.equal(await store.markDelivery('pagerduty', 'd1'), true);
    assert.equal(await store.markDelivery('pagerduty', 'd1'), false);

    const reopened = await createStateStore({ dir, clock });
    const again = await createCorrelator({ store: reopened, clock }).ingest([
      alert({ pod: replicaSetPod('web', 1) }),
    ]);
    assert.equal(again.updates[0]?.change, 'repeat', 'the incident was found after a restart');
    assert.equal(again.updates[0]?.investigate, false);
    assert.equal(reopened.listIncidents().length, 1);
    assert.equal(
      await reopened.markDelivery('pagerduty', 'd1'),
      false,
      'replays are remembered across restarts',
    );
  });
});
