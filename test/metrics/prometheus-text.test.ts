// The test parser is strict on purpose: a scrape that Prometheus would reject must fail here too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrometheusText } from '../support/prometheus-text.ts';

const good = `# HELP belay_x_total Things.
# TYPE belay_x_total counter
belay_x_total{source="a",result="b\\"q\\""} 3
# HELP belay_h_seconds Time.
# TYPE belay_h_seconds histogram
belay_h_seconds_bucket{le="+Inf"} 1
belay_h_seconds_sum 0.5
belay_h_seconds_count 1
# HELP belay_g A gauge.
# TYPE belay_g gauge
belay_g Nan
`;

describe('Prometheus text-format parser (tests only)', () => {
  it('reads families, types, HELP, labels and values, NaN as Prometheus spells it in any case', () => {
    const families = parsePrometheusText(good);
    assert.equal(families.get('belay_x_total')?.samples[0]?.labels.result, 'b"q"');
    assert.equal(families.get('belay_h_seconds')?.samples.length, 3);
    assert.ok(Number.isNaN(families.get('belay_g')?.samples[0]?.value));
  });

  for (const [what, text, error] of [
    ['a sample without TYPE', 'belay_y 1\n', /has no TYPE/],
    ['TYPE before HELP', '# TYPE belay_y gauge\nbelay_y 1\n', /TYPE before HELP/],
    ['an unknown type', '# HELP belay_y y\n# TYPE belay_y thing\n', /bad or repeated TYPE/],
    ['a value that is not a number', '# HELP belay_y y\n# TYPE belay_y gauge\nbelay_y one\n', /not a number/],
    ['a repeated label', '# HELP belay_y y\n# TYPE belay_y gauge\nbelay_y{a="1",a="2"} 1\n', /repeated/],
    ['an unquoted label', '# HELP belay_y y\n# TYPE belay_y gauge\nbelay_y{a=1} 1\n', /bad label syntax/],
    ['_count on a gauge', '# HELP belay_y y\n# TYPE belay_y gauge\nbelay_y_count 1\n', /has no TYPE/],
    ['no final newline', '# HELP belay_y y\n# TYPE belay_y gauge\nbelay_y 1', /end with a newline/],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parsePrometheusText(text), error);
    });
  }
});
