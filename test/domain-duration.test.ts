import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration, parseQuantity } from '../src/domain/index.ts';

describe('durations', () => {
  it('parses what Prometheus writes', () => {
    assert.equal(parseDuration('60s'), 60_000);
    assert.equal(parseDuration('45m'), 2_700_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('250ms'), 250);
  });
  it('refuses what is not a duration', () => {
    for (const bad of ['', '10', 'm', '1 hour', '-5m', '5x'])
      assert.equal(parseDuration(bad), undefined, bad);
  });
  it('formats as an engineer says it', () => {
    assert.equal(formatDuration(2_700_000), '45m');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(0), '0s');
  });
});

describe('quantities', () => {
  it('parses Kubernetes and SI quantities', () => {
    assert.equal(parseQuantity('5Gi'), 5 * 2 ** 30);
    assert.equal(parseQuantity('6.2GB'), 6.2e9);
    assert.equal(parseQuantity('250m'), 0.25);
    assert.equal(parseQuantity('5e9'), 5e9);
    assert.equal(parseQuantity('12'), 12);
  });
  it('refuses unknown suffixes', () => {
    for (const bad of ['5Gb', 'lots', '', '5 Zi']) assert.equal(parseQuantity(bad), undefined, bad);
  });
});
