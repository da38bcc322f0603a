import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Harness, harness, permit } from './act-harness.ts';

const patch = (data: Record<string, string | null>, name = 'web-config') =>
  ({ kind: 'patch-configmap', target: { cluster: 'default', namespace: 'shop', name }, data }) as const;

describe('patch-configmap executor', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    h.api.seed(
      {
        kind: 'ConfigMap',
        metadata: { name: 'web-config', namespace: 'shop' },
        data: { LOG_LEVEL: 'info', DB_URL: 'postgres://db' },
      },
      { kind: 'ConfigMap', metadata: { name: 'other', namespace: 'shop' }, data: { LOG_LEVEL: 'info' } },
    );
  });
  afterEach(() => h.close());
  const data = () => h.api.store.get('configmaps', 'shop', 'web-config').data;

  it('changes safe keys with a merge patch, records previous values, and reverts them (including removing a new key)', async () => {
    const outcome = await h.executor.execute(permit(patch({ LOG_LEVEL: 'debug', FEATURE_CACHE: 'off' })));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.deepEqual(data(), { LOG_LEVEL: 'debug', DB_URL: 'postgres://db', FEATURE_CACHE: 'off' });
    assert.deepEqual(
      h.api.writes().map((r) => [r.contentType, r.dryRun]),
      [
        ['application/merge-patch+json', true],
        ['application/merge-patch+json', false],
      ],
    );
    assert.equal(outcome.revert?.type, 'restore-values');
    assert.deepEqual(outcome.revert?.type === 'restore-values' && outcome.revert.values, {
      LOG_LEVEL: 'info',
      FEATURE_CACHE: null,
    });
    const back = await h.executor.revert(
      outcome.revert as NonNullable<typeof outcome.revert>,
      permit(patch({ LOG_LEVEL: 'debug' })),
    );
    assert.equal(back.status, 'succeeded', back.message);
    assert.deepEqual(data(), { LOG_LEVEL: 'info', DB_URL: 'postgres://db' });
  });

  it('refuses a key the policy does not declare safe, before any request', async () => {
    const outcome = await h.executor.execute(
      permit(patch({ LOG_LEVEL: 'debug', DB_URL: 'postgres://evil' })),
    );
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.message, /will not change DB_URL.*only LOG_LEVEL, FEATURE_CACHE are declared safe/);
    assert.equal(h.api.requests.length, 0);
    assert.equal(data().DB_URL, 'postgres://db');
  });

  it('refuses a ConfigMap the policy does not list', async () => {
    const outcome = await h.executor.execute(permit(patch({ LOG_LEVEL: 'debug' }, 'other')));
    assert.equal(outcome.status, 'refused');
    assert.equal(h.api.requests.length, 0);
  });

  it('retries from the read after a 409, so the recorded previous value is the one replaced', async () => {
    h.api.inject({ method: 'PATCH', path: /configmaps\/web-config$/, status: 409, dryRun: false });
    const outcome = await h.executor.execute(permit(patch({ LOG_LEVEL: 'warn' })));
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.equal(
      h.api.requests.filter((r) => r.verb === 'get').length,
      3,
      'two reads before writing, one to verify',
    );
  });

  it('dry run only leaves the data alone', async () => {
    const outcome = await h.executor.execute(permit(patch({ LOG_LEVEL: 'debug' }), true));
    assert.equal(outcome.status, 'dry-run-ok');
    assert.match(outcome.message, /LOG_LEVEL: "info" → "debug"/);
    assert.equal(data().LOG_LEVEL, 'info');
  });

  it('verification fails when the value cannot be read back, and the revert is still recorded', async () => {
    // The first read (before the change) succeeds; every read after the write fails.
    h.api.inject({
      method: 'GET',
      path: '/api/v1/namespaces/shop/configmaps/web-config',
      status: 500,
      after: 1,
      times: 1000,
    });
    const outcome = await h.executor.execute(permit(patch({ LOG_LEVEL: 'debug' })));
    assert.equal(outcome.status, 'verification-failed');
    assert.equal(outcome.revert?.type, 'restore-values');
    assert.equal(data().LOG_LEVEL, 'debug');
  });
});
