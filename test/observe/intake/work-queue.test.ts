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

describe('work queue with more than one worker', () => {
  it('starts items in order and lets a small one finish while a big one is still running', async () => {
    const finished: string[] = [];
    let releaseBig: () => void = () => {};
    const big = new Promise<void>((resolve) => {
      releaseBig = resolve;
    });
    const queue = createWorkQueue<string>({
      capacity: 10,
      concurrency: 2,
      process: async (name) => {
        if (name === 'big') await big;
        finished.push(name);
      },
      onError: (error) => assert.fail(String(error)),
    });
    queue.push('big');
    queue.push('small');
    queue.push('later');
    for (let i = 0; i < 10 && queue.size > 1; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(finished, ['small', 'later']);
    assert.equal(queue.size, 1, 'the big one is still in progress');
    releaseBig();
    await queue.idle();
    assert.deepEqual(finished, ['small', 'later', 'big']);
  });

  it('stop waits for every item in progress', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done: number[] = [];
    const queue = createWorkQueue<number>({
      capacity: 10,
      concurrency: 2,
      process: async (n) => {
        await gate;
        done.push(n);
      },
      onError: (error) => assert.fail(String(error)),
    });
    for (const n of [1, 2, 3]) queue.push(n);
    const stopping = queue.stop();
    release();
    await stopping;
    assert.deepEqual(done.sort(), [1, 2], 'both in progress finished; the waiting one was dropped');
  });
});
