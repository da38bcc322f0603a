import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWriteWatch, StoreError } from '../../../src/govern/store/index.ts';

describe('write watch', () => {
  it('remembers the first write-failed error and passes every error and result through', async () => {
    const writes = createWriteWatch();
    assert.equal(await writes.watch(Promise.resolve(7)), 7);
    await assert.rejects(writes.watch(Promise.reject(new Error('model timed out'))), /model timed out/);
    assert.equal(writes.problem(), undefined, 'only a store that refuses writes makes intake refuse');
    const full = new StoreError('write-failed', 'Could not write the state file: ENOSPC');
    await assert.rejects(writes.watch(Promise.reject(full)), full);
    await assert.rejects(writes.watch(Promise.reject(new StoreError('write-failed', 'second'))));
    assert.equal(writes.problem(), 'Could not write the state file: ENOSPC');
  });
});
