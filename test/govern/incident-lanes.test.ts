import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIncidentLanes, type LaneItem } from '../../src/govern/incident-lanes.ts';

/** An item that records when it starts and finishes, and finishes when released. */
function gated(log: string[], name: string, key = name, urgent = false) {
  let release: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const item: LaneItem = {
    key,
    urgent,
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
  };
  return { item, release };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('incident lanes', () => {
  it('serves a later delivery in turn instead of after all of an earlier one', async () => {
    const log: string[] = [];
    const lanes = createIncidentLanes({ concurrency: 1 });
    const big = Array.from({ length: 5 }, (_, i) => gated(log, `storm-${i}`));
    const small = gated(log, 'checkout');
    const bigDone = lanes.submit(big.map((b) => b.item));
    const smallDone = lanes.submit([small.item]);
    await tick();
    big[0]?.release();
    await tick();
    assert.deepEqual(log, ['start storm-0', 'end storm-0', 'start checkout']);
    small.release();
    await smallDone;
    for (const b of big) b.release();
    await bigDone;
    assert.equal(log.filter((l) => l.startsWith('end')).length, 6);
  });

  it('runs work outside a storm before waiting storm work', async () => {
    const log: string[] = [];
    const lanes = createIncidentLanes({ concurrency: 1 });
    const first = gated(log, 'storm-a');
    const rest = [gated(log, 'storm-b'), gated(log, 'storm-c')];
    const urgent = gated(log, 'crashloop', 'crashloop', true);
    const all = [
      lanes.submit([first.item]),
      lanes.submit(rest.map((r) => r.item)),
      lanes.submit([urgent.item]),
    ];
    await tick();
    first.release();
    await tick();
    assert.equal(log.at(-1), 'start crashloop');
    urgent.release();
    for (const r of rest) r.release();
    await Promise.all(all);
  });

  it("keeps one incident's updates in order across deliveries, and never runs them at once", async () => {
    const log: string[] = [];
    const lanes = createIncidentLanes({ concurrency: 4 });
    const opened = gated(log, 'opened', 'incident-1');
    const resolved = gated(log, 'resolved', 'incident-1', true);
    const other = gated(log, 'other', 'incident-2');
    const done = [lanes.submit([opened.item]), lanes.submit([resolved.item, other.item])];
    await tick();
    assert.deepEqual(log, ['start opened', 'start other'], 'the resolve waits for the open, not a free slot');
    opened.release();
    await tick();
    assert.deepEqual(log.slice(2), ['end opened', 'start resolved']);
    resolved.release();
    other.release();
    await Promise.all(done);
  });

  it('never runs more than its concurrency at once', async () => {
    let running = 0;
    let most = 0;
    const lanes = createIncidentLanes({ concurrency: 3 });
    const item = (key: string): LaneItem => ({
      key,
      urgent: false,
      run: async () => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
      },
    });
    await Promise.all([
      lanes.submit(Array.from({ length: 10 }, (_, i) => item(`a${i}`))),
      lanes.submit(Array.from({ length: 10 }, (_, i) => item(`b${i}`))),
    ]);
    assert.equal(most, 3);
  });

  it('rejects a delivery with its first failure once all of its items ran; other deliveries go on', async () => {
    const lanes = createIncidentLanes({ concurrency: 2 });
    const ran: string[] = [];
    const failing = lanes.submit([
      {
        key: 'a',
        urgent: false,
        run: async () => {
          throw new Error('Slack is down');
        },
      },
      { key: 'b', urgent: false, run: async () => void ran.push('b') },
    ]);
    const fine = lanes.submit([{ key: 'c', urgent: false, run: async () => void ran.push('c') }]);
    await assert.rejects(failing, /Slack is down/);
    await fine;
    assert.deepEqual(ran.sort(), ['b', 'c']);
  });

  it('resolves at once for a delivery with no incident work', async () => {
    await createIncidentLanes({ concurrency: 1 }).submit([]);
  });
});
