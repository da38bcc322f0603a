import assert from 'node:assert/strict';
import { StoreError } from '../../../src/govern/store/index.ts';

/** For assert.rejects/throws: a StoreError with this code and a message matching the pattern. */
export function storeError(code: StoreError['code'], pattern: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}
