import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parsePagerDutyWebhook,
  signPagerDutyBody,
  verifyPagerDutySignature,
} from '../../../src/observe/intake/index.ts';
import { fixture } from './intake-harness.ts';

const at = new Date('2025-01-01T10:00:01Z');

describe('PagerDuty Webhooks V3', () => {
  const raw = Buffer.from(fixture('pagerduty-incident-triggered.json'));

  it('verifies signatures over the raw bytes, any v1 entry and any secret', () => {
    const good = signPagerDutyBody(raw, 'new');
    assert.equal(verifyPagerDutySignature(raw, good, ['old', 'new']), true);
    assert.equal(verifyPagerDutySignature(raw, `v1=${'a'.repeat(64)},${good}`, ['new']), true);
    assert.equal(verifyPagerDutySignature(raw, good.toUpperCase().replace('V1', 'v1'), ['new']), true);
    assert.equal(verifyPagerDutySignature(Buffer.concat([raw, Buffer.from(' ')]), good, ['new']), false);
    assert.equal(verifyPagerDutySignature(raw, good, ['old']), false);
    assert.equal(verifyPagerDutySignature(raw, good, []), false);
    assert.equal(verifyPagerDutySignature(raw, undefined, ['new']), false);
    assert.equal(verifyPagerDutySignature(raw, good.slice(0, -2), ['new']), false);
    assert.equal(verifyPagerDutySignature(raw, good.replace('v1=', 'v2='), ['new']), false);
  });

  it('turns incident events into alerts keyed by the incident', () => {
    const triggered = parsePagerDutyWebhook(JSON.parse(raw.toString()), at);
    assert.ok(triggered.ok && triggered.value.kind === 'alert');
    assert.equal(triggered.value.alert.status, 'firing');
    assert.equal(triggered.value.alert.startsAt, '2025-01-01T09:59:58.000Z');
    assert.equal(triggered.value.alert.labels.pagerduty_service_id, 'PSVC123');
    const resolved = parsePagerDutyWebhook(JSON.parse(fixture('pagerduty-incident-resolved.json')), at);
    assert.ok(resolved.ok && resolved.value.kind === 'alert');
    assert.equal(resolved.value.alert.status, 'resolved');
    assert.equal(resolved.value.alert.fingerprint, triggered.value.alert.fingerprint);
    assert.equal(resolved.value.alert.endsAt, '2025-01-01T10:30:00.000Z');
  });

  it('ignores pings and notes, refuses malformed events with the field', () => {
    const ping = parsePagerDutyWebhook(JSON.parse(fixture('pagerduty-ping.json')), at);
    assert.ok(ping.ok && ping.value.kind === 'ignored');
    const wrong = parsePagerDutyWebhook(
      { event: { ...JSON.parse(raw.toString()).event, data: { type: 'incident', id: 'X', title: 5 } } },
      at,
    );
    assert.ok(!wrong.ok);
    assert.match(wrong.error, /event\.data\.title/);
  });
});
