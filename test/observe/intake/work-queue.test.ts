import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkQueue } from '../../../src/observe/intake/work-queue.ts';

describe('work queue', () => {
  it('stop drops the waiting items and resolves once the one in progress has finished', async () => {
    const processed: number[] = [];
    let release: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = createWorkQueue<number>({
      capacity: 10,
      process: async (n) => {
        if (n === 1) await first;
        processed.push(n);
      },
      onError: (error) => assert.fail(String(error)),
    });
    for (const n of [1, 2, 3]) queue.push(n);
    let stopped = false;
    const stopping = queue.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'the item in progress is waited for');
    release();
    await stopping;
    assert.deepEqual(processed, [1], 'items still waiting were dropped: the inbox replays them');
    assert.equal(queue.size, 0);
  });

  it('stop on an idle queue resolves at once', async () => {
    const queue = createWorkQueue<number>({ capacity: 1, process: () => {}, onError: () => {} });
    await queue.stop();
    assert.equal(queue.size, 0);
  });
});
