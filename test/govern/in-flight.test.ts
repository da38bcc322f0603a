import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInFlight, ShuttingDownError } from '../../src/govern/in-flight.ts';

/** A timer the test fires by hand: the deadline passes when the test says so. */
function manualTimer() {
  let fire: () => void = () => {};
  let cancelled = false;
  return {
    wait: () => ({
      done: new Promise<void>((resolve) => {
        fire = resolve;
      }),
      cancel: () => {
        cancelled = true;
      },
    }),
    fire: () => fire(),
    cancelled: () => cancelled,
  };
}

describe('executions in flight during a stop', () => {
  it('drain waits for a running execution to finish, and refuses new ones meanwhile', async () => {
    const timer = manualTimer();
    const inFlight = createInFlight(timer.wait);
    let finish: (v: string) => void = () => {};
    const running = inFlight.track(() => new Promise<string>((r) => (finish = r)));
    assert.equal(inFlight.count(), 1);
    let drained: { finished: boolean; left: number } | undefined;
    const draining = inFlight.drain(330_000).then((d) => (drained = d));
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, undefined, 'still waiting for the verification');
    let started = false;
    await assert.rejects(
      inFlight.track(async () => {
        started = true;
      }),
      ShuttingDownError,
    );
    assert.equal(started, false, 'new work never starts during a stop');
    finish('succeeded');
    assert.equal(await running, 'succeeded');
    await draining;
    assert.deepEqual(drained, { finished: true, left: 0 });
    assert.ok(timer.cancelled());
  });

  it('drain gives up at its deadline and says how many are still running', async () => {
    const timer = manualTimer();
    const inFlight = createInFlight(timer.wait);
    void inFlight.track(() => new Promise(() => {}));
    const draining = inFlight.drain(330_000);
    timer.fire();
    assert.deepEqual(await draining, { finished: false, left: 1 });
  });

  it('a failed execution counts as finished; with nothing running drain returns at once', async () => {
    const inFlight = createInFlight(manualTimer().wait);
    await assert.rejects(
      inFlight.track(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(inFlight.count(), 0);
    assert.deepEqual(await inFlight.drain(1), { finished: true, left: 0 });
  });
});
