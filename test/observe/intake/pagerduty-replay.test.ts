import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signPagerDutyBody } from '../../../src/observe/intake/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { fixture, PD_SECRETS, startHarness } from './intake-harness.ts';

// The fixture's event occurred at 2025-01-01T10:00:00Z.
const triggered = fixture('pagerduty-incident-triggered.json');
const signed = (body: string, webhookId: string) => ({
  'x-pagerduty-signature': signPagerDutyBody(body, PD_SECRETS[0] as string),
  'x-webhook-id': webhookId,
});

describe('PagerDuty deliveries cannot be replayed', () => {
  it('deduplicates by the signed event.id, whatever the unsigned X-Webhook-Id header says', async () => {
    const h = await startHarness();
    try {
      assert.equal((await h.post('/webhooks/pagerduty', triggered, signed(triggered, 'first'))).status, 202);
      const replay = await h.post('/webhooks/pagerduty', triggered, signed(triggered, 'changed-header'));
      assert.equal(replay.status, 200);
      assert.match(replay.body, /duplicate.*01DEN8CPOIQ4TQHFNW0R0H7GNA/);
      await h.intake.queue.idle();
      assert.equal(h.delivered.length, 1, 'the replay with a new header was not processed');
    } finally {
      await h.close();
    }
  });

  it('refuses an event older than the configured age with a 400 that says why, and changes nothing', async () => {
    const h = await startHarness({ clock: new ManualClock('2025-01-01T11:30:00Z') });
    try {
      const old = await h.post('/webhooks/pagerduty', triggered, signed(triggered, 'late'));
      assert.equal(old.status, 400);
      assert.match(old.body, /occurred at 2025-01-01T10:00:00\.000Z, 1h30m ago/);
      assert.match(old.body, /older than intake\.pagerduty\.maxEventAge \(1h\)/);
      await h.intake.queue.idle();
      assert.equal(h.delivered.length, 0);
      assert.equal(h.store.deliveries.size, 0, 'a refused event is not marked as seen');
    } finally {
      await h.close();
    }
    const relaxed = await startHarness({
      clock: new ManualClock('2025-01-01T11:30:00Z'),
      pagerduty: { secrets: PD_SECRETS, maxEventAgeMs: 2 * 3_600_000 },
    });
    try {
      const accepted = await relaxed.post('/webhooks/pagerduty', triggered, signed(triggered, 'late'));
      assert.equal(accepted.status, 202, 'within a longer configured age');
    } finally {
      await relaxed.close();
    }
  });

  it('reads maxEventAge from the intake section, one hour by default', async () => {
    const { intakeSectionSchema } = await import('../../../src/config/sections/intake.ts');
    assert.equal(intakeSectionSchema.parse({ pagerduty: {} }).pagerduty?.maxEventAge, 3_600_000);
    assert.equal(
      intakeSectionSchema.parse({ pagerduty: { maxEventAge: '15m' } }).pagerduty?.maxEventAge,
      900_000,
    );
    assert.throws(() => intakeSectionSchema.parse({ pagerduty: { maxEventAge: 'soon' } }));
  });
});
