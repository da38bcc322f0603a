import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { lokiSectionSchema, lokiTokenFromEnv } from '../../src/config/sections/loki.ts';

describe('loki section', () => {
  it('needs only a URL; the rest has defaults', () => {
    assert.deepEqual(lokiSectionSchema.parse({ url: 'http://loki-gateway.monitoring' }), {
      url: 'http://loki-gateway.monitoring',
      namespaceLabel: 'namespace',
      timeout: 10_000,
      maxLines: 200,
      maxBytes: 32_768,
      maxRange: 86_400_000,
    });
  });

  it('refuses what would be misread', () => {
    for (const bad of [
      {},
      { url: 'ftp://loki' },
      { url: 'http://l', tenant: 'team a' },
      { url: 'http://l', tenant: '' },
      { url: 'http://l', bearerTokenEnv: 'my token' },
      { url: 'http://l', namespaceLabel: 'k8s.namespace' },
      { url: 'http://l', maxLines: 0 },
      { url: 'http://l', maxBytes: 10 },
      { url: 'http://l', maxRange: 'forever' },
      { url: 'http://l', token: 'inline-secret' },
    ])
      assert.equal(lokiSectionSchema.safeParse(bad).success, false, JSON.stringify(bad));
  });

  it('reads the token from the variable it names, and names a missing one without a value', () => {
    const section = lokiSectionSchema.parse({ url: 'http://l', bearerTokenEnv: 'BELAY_LOKI_TOKEN' });
    assert.deepEqual(lokiTokenFromEnv(section, { BELAY_LOKI_TOKEN: ' t0k\n' }), { ok: true, token: 't0k' });
    assert.deepEqual(lokiTokenFromEnv(section, {}), { ok: false, missing: 'BELAY_LOKI_TOKEN' });
  });

  it('is a key of belay.yaml, optional', () => {
    const base = `version: 1
namespaceClasses: [{ name: apps, namespaces: ["*"], approvers: { users: [U0SRE0001] } }]
defaultNamespaceClass: apps
kubernetes: { clusters: [{ name: default }] }
`;
    const without = loadConfig(base, 'belay.yaml');
    assert.ok(without.ok && without.config.loki === undefined);
    const withLoki = loadConfig(`${base}loki: { url: "http://loki:3100", tenant: team-a }\n`, 'belay.yaml');
    assert.ok(withLoki.ok, JSON.stringify(!withLoki.ok && withLoki.problems));
    assert.equal(withLoki.config.loki?.tenant, 'team-a');
  });
});
