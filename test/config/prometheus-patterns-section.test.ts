import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatConfigProblem, loadConfig } from '../../src/config/index.ts';

const file = (patterns: string) => `version: 1
namespaceClasses: [{ name: standard }]
defaultNamespaceClass: standard
prometheus:
  url: http://prometheus:9090
  patterns: ${patterns}
`;

describe('prometheus.patterns: the background search for recurring patterns', () => {
  it('is off unless asked for, and {} asks for two weeks read hourly in UTC', () => {
    const off = loadConfig(file('null').replace('  patterns: null\n', ''), 'b.yaml');
    assert.ok(off.ok);
    assert.equal(off.config.prometheus?.patterns, undefined);
    const on = loadConfig(file('{}'), 'b.yaml');
    assert.ok(on.ok);
    assert.deepEqual(on.config.prometheus?.patterns, {
      lookback: 14 * 86_400_000,
      schedule: '0 * * * *',
      timezone: 'UTC',
    });
  });

  const refused: [string, RegExp][] = [
    ['{ lookback: 1d }', /prometheus\.patterns\.lookback {2}lookback must be at least 3d/],
    ['{ lookback: fortnight }', /prometheus\.patterns\.lookback {2}"fortnight" is not a duration/],
    ['{ timezone: Mars/Base }', /prometheus\.patterns\.timezone {2}timezone is not an IANA time zone/],
    [
      '{ schedule: "every hour" }',
      /prometheus\.patterns\.schedule {2}schedule is not a valid cron expression/,
    ],
    ['{ namespaces: [Shop] }', /prometheus\.patterns\.namespaces\[0\]/],
    ['{ every: 1h }', /prometheus\.patterns/],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${text} with a message at its line`, () => {
      const loaded = loadConfig(file(text), 'b.yaml');
      assert.equal(loaded.ok, false);
      assert.match(loaded.ok ? '' : loaded.problems.map(formatConfigProblem).join('\n'), message);
    });
  }
});
