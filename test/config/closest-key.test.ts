import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestKey } from '../../src/config/closest-key.ts';

const WHEN = [
  'alert',
  'firingFor',
  'metric',
  'notInWindow',
  'notRestartedWithin',
  'rolledOutWithin',
  'namespaceClass',
];

describe('closestKey', () => {
  it('finds the key behind a typo, a swapped pair, or the wrong case', () => {
    assert.equal(closestKey('notRestartedWithn', WHEN), 'notRestartedWithin');
    assert.equal(closestKey('notInWidnow', WHEN), 'notInWindow');
    assert.equal(closestKey('namespaceclass', WHEN), 'namespaceClass');
    assert.equal(closestKey('alerts', WHEN), 'alert');
  });
  it('suggests nothing when no key is near', () => {
    assert.equal(closestKey('schedule', WHEN), undefined);
    assert.equal(closestKey('x', WHEN), undefined);
    assert.equal(closestKey('anything', []), undefined);
  });
});
