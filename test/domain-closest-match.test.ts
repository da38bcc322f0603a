import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestMatch } from '../src/domain/index.ts';

const WHEN = [
  'alert',
  'firingFor',
  'metric',
  'notInWindow',
  'notRestartedWithin',
  'rolledOutWithin',
  'namespaceClass',
];

describe('closestMatch', () => {
  it('finds the key behind a typo, a swapped pair, or the wrong case', () => {
    assert.equal(closestMatch('notRestartedWithn', WHEN), 'notRestartedWithin');
    assert.equal(closestMatch('notInWidnow', WHEN), 'notInWindow');
    assert.equal(closestMatch('namespaceclass', WHEN), 'namespaceClass');
    assert.equal(closestMatch('alerts', WHEN), 'alert');
  });
  it('suggests nothing when no key is near', () => {
    assert.equal(closestMatch('schedule', WHEN), undefined);
    assert.equal(closestMatch('x', WHEN), undefined);
    assert.equal(closestMatch('anything', []), undefined);
  });
});
