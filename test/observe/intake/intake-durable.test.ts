import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createIntakeInbox } from '../../../src/govern/store/index.ts';
import { fillDisk, smallDisk } from '../../support/small-disk.ts';
import { AM_TOKEN, fixture, startHarness } from './intake-harness.ts';

const bearer = { authorization: `Bearer ${AM_TOKEN}` };
const amFixture = fixture('alertmanager-webhook-v4.json');

/** A delivery of `count` firing alerts of one workload; the first alert's fingerprint is `fp-<n>`. */
function amFor(n: number, count = 1): string {
  const body = JSON.parse(amFixture);
  const [template] = body.alerts;
  body.alerts = Array.from({ length: count }, (_, i) => ({
    ...template,
    labels: { ...template.labels, pod: `web-${n}-${i}` },
    fingerprint: i === 0 ? `fp-${n}` : `fp-${n}-${i}`,
  }));
  return JSON.stringify(body);
}

describe('intake: a 200 means the delivery is on disk', () => {
  it('disk full → 503 with Retry-After, health says why, and nothing answered 200 is lost', async (t) => {
    const disk = await smallDisk(t);
    if (!disk) return t.skip('mounting a tmpfs needs root');
    const dir = join(disk, 'inbox');
    const inbox = await createIntakeInbox({ dir });
    const h = await startHarness({ inbox });
    t.after(async () => {
      await h.close();
      await inbox.close();
    });

    assert.equal((await h.post('/webhooks/alertmanager', amFor(1, 40), bearer)).status, 200);
    const filler = await fillDisk(disk);
    const refused = await fetch(`${h.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer },
      body: amFor(2, 40),
    });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(await refused.text(), /could not keep the delivery.*ENOSPC/);
    const ready = await fetch(`${h.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /intake inbox.*ENOSPC.*full\?/);
    // Unready, not dead: the inbox writes again once space comes back, without a restart.
    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 200);
    const { checks } = (await health.json()) as { checks: { check: string; ok: boolean }[] };
    assert.deepEqual(checks.find((c) => c.check === 'inbox')?.ok, false);

    // Space comes back; Alertmanager's retry of the refused delivery is accepted.
    await rm(filler);
    assert.equal((await h.post('/webhooks/alertmanager', amFor(2, 40), bearer)).status, 200);
    assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
    await h.intake.queue.idle();
    assert.deepEqual(
      h.delivered.map((alerts) => alerts[0]?.fingerprint),
      ['fp-1', 'fp-2'],
    );
  });

  it('what was accepted but not processed before a stop is processed at the next start, first', async (t) => {
    const disk = await smallDisk(t, '1m');
    const dir = join(disk ?? (await import('node:os')).tmpdir(), `inbox-${process.pid}-${Date.now()}`);
    t.after(() => rm(dir, { recursive: true, force: true }));
    const inbox = await createIntakeInbox({ dir });
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = await startHarness({ inbox, onAlerts: () => stuck });
    for (const n of [1, 2, 3]) {
      assert.equal((await first.post('/webhooks/alertmanager', amFor(n), bearer)).status, 200);
    }
    await first.close();
    release();
    await inbox.close();

    const again = await createIntakeInbox({ dir });
    const second = await startHarness({ inbox: again });
    t.after(async () => {
      await second.close();
      await again.close();
    });
    assert.equal((await second.post('/webhooks/alertmanager', amFor(4), bearer)).status, 200);
    await second.intake.queue.idle();
    // Delivery 1 was being processed when the stop came, and its processing was never confirmed: replayed.
    assert.deepEqual(
      second.delivered.map((alerts) => alerts[0]?.fingerprint),
      ['fp-1', 'fp-2', 'fp-3', 'fp-4'],
    );
    assert.equal(second.store.incidents.size, 4);
  });

  it('a store that refuses writes → 503 for every delivery, and health says why', async (t) => {
    const h = await startHarness({ unavailable: () => 'the state file cannot be written (ENOSPC)' });
    t.after(() => h.close());
    const response = await h.post('/webhooks/alertmanager', amFor(1), bearer);
    assert.equal(response.status, 503);
    assert.match(response.body, /cannot process alerts now: the state file/);
    const ready = await fetch(`${h.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /ENOSPC/);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, 0);
  });
});
