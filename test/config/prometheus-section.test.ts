import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prometheusSectionSchema, prometheusTokenFromEnv } from '../../src/config/sections/prometheus.ts';

describe('prometheus section', () => {
  it('needs only a URL; the rest has defaults', () => {
    assert.deepEqual(prometheusSectionSchema.parse({ url: 'http://prometheus.monitoring:9090' }), {
      url: 'http://prometheus.monitoring:9090',
      timeout: 5_000,
      maxSeries: 10,
      maxPoints: 60,
    });
  });

  it('refuses what would be misread', () => {
    for (const bad of [
      {},
      { url: 'ftp://prometheus' },
      { url: 'http://p', timeout: 'soon' },
      { url: 'http://p', bearerTokenEnv: 'my token' },
      { url: 'http://p', maxSeries: 0 },
      { url: 'http://p', maxPoints: 1 },
      { url: 'http://p', query: 'up' },
    ])
      assert.equal(prometheusSectionSchema.safeParse(bad).success, false, JSON.stringify(bad));
  });

  it('reads the token from the variable it names, and names a missing one without a value', () => {
    const section = prometheusSectionSchema.parse({
      url: 'http://p',
      bearerTokenEnv: 'BELAY_PROMETHEUS_TOKEN',
    });
    assert.deepEqual(prometheusTokenFromEnv(section, { BELAY_PROMETHEUS_TOKEN: ' t0k \n' }), {
      ok: true,
      token: 't0k',
    });
    assert.deepEqual(prometheusTokenFromEnv(section, { BELAY_PROMETHEUS_TOKEN: '' }), {
      ok: false,
      missing: 'BELAY_PROMETHEUS_TOKEN',
    });
    assert.deepEqual(prometheusTokenFromEnv(prometheusSectionSchema.parse({ url: 'http://p' }), {}), {
      ok: true,
    });
  });
});
