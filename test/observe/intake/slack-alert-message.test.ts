import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSlackAlertMessage, type SlackAlertSource } from '../../../src/observe/intake/index.ts';
import { fixture } from './intake-harness.ts';

const at = new Date('2025-01-01T10:01:00Z');
const sources: SlackAlertSource[] = [
  { kind: 'alertmanager', botIds: ['B0AMBOT'], labels: { cluster: 'homelab' } },
  { kind: 'pagerduty', appIds: ['A0PAGERDUTY'] },
];
const load = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;

describe('alerts read from Slack channel messages', () => {
  it('reads every label of the recommended template, through Slack escaping and Go quoting', () => {
    const result = parseSlackAlertMessage(load('slack-alertmanager-recommended.json'), sources, at);
    assert.equal(result.kind, 'alerts');
    if (result.kind !== 'alerts') return;
    const [alert] = result.alerts;
    assert.equal(result.alerts.length, 1);
    assert.equal(alert?.fingerprint, '5e1f4c2a9b0d7e31', 'the same fingerprint as the webhook fixture');
    assert.equal(alert?.status, 'firing');
    assert.equal(alert?.labels.pod, 'web-7c9f8d6b5-x2x4z');
    assert.equal(alert?.labels.note, 'a <b> & "q" é\tü');
    assert.equal(alert?.startsAt, '2025-01-01T10:00:00.000Z');
    assert.deepEqual(alert?.slackMessage, { channel: 'C0ALERTS', ts: '1735725600.000100' });
  });

  it('reads the default template best-effort, naming values when group_by is configured', () => {
    const message = load('slack-alertmanager-default.json');
    const bare = parseSlackAlertMessage(message, sources, at);
    assert.equal(bare.kind, 'alerts');
    if (bare.kind !== 'alerts') return;
    assert.equal(bare.alerts[0]?.status, 'firing');
    assert.equal(bare.alerts[0]?.labels.namespace, undefined);
    assert.equal(bare.alerts[0]?.url, 'http://alertmanager:9093/#/alerts?receiver=slack');

    const named = parseSlackAlertMessage(
      message,
      [{ kind: 'alertmanager', botIds: ['B0AMBOT'], groupBy: ['namespace', 'alertname'] }],
      at,
    );
    assert.equal(named.kind, 'alerts');
    if (named.kind !== 'alerts') return;
    assert.deepEqual(named.alerts[0]?.labels, { alertname: 'KubePodCrashLooping', namespace: 'shop' });

    const resolvedMessage = structuredClone(message) as { attachments: { title: string }[]; ts: string };
    resolvedMessage.attachments[0] = { title: '[RESOLVED] KubePodCrashLooping shop' };
    resolvedMessage.ts = '1735726000.000100';
    const resolved = parseSlackAlertMessage(resolvedMessage, sources, at);
    assert.equal(resolved.kind, 'alerts');
    if (resolved.kind !== 'alerts') return;
    assert.equal(resolved.alerts[0]?.status, 'resolved');
    assert.equal(
      resolved.alerts[0]?.fingerprint,
      bare.alerts[0]?.fingerprint,
      'firing and resolved posts are one alert',
    );
  });

  it('reads a PagerDuty app message as the incident it links to', () => {
    const result = parseSlackAlertMessage(load('slack-pagerduty-app.json'), sources, at);
    assert.equal(result.kind, 'alerts');
    if (result.kind !== 'alerts') return;
    const [alert] = result.alerts;
    assert.equal(alert?.fingerprint, 'Q1XYZ7ABCDE', 'the same identity as the Webhooks V3 delivery');
    assert.equal(alert?.url, 'https://acme.pagerduty.com/incidents/Q1XYZ7ABCDE');
    assert.equal(alert?.name, 'Triggered: #42 KubePodCrashLooping shop/web');
    assert.equal(alert?.labels.pagerduty_incident_id, 'Q1XYZ7ABCDE');
  });

  it('follows edits (Alertmanager update_message)', () => {
    const inner = load('slack-alertmanager-recommended.json');
    const edit = {
      type: 'message',
      subtype: 'message_changed',
      channel: 'C0ALERTS',
      ts: '1735725700.000100',
      message: inner,
    };
    const result = parseSlackAlertMessage(edit, sources, at);
    assert.equal(result.kind, 'alerts');
  });

  it('ignores messages from anyone else, or in shapes it does not know', () => {
    const human = { ...load('slack-alertmanager-recommended.json'), bot_id: undefined, user: 'U123' };
    const impostor = {
      ...load('slack-pagerduty-app.json'),
      bot_profile: { name: 'PagerDuty', app_id: 'A0EVIL' },
      bot_id: 'B0EVIL',
      app_id: 'A0EVIL',
    };
    const chatter = {
      channel: 'C0ALERTS',
      ts: '1735725600.000900',
      bot_id: 'B0AMBOT',
      text: 'deploying now',
    };
    const forged = {
      channel: 'C0ALERTS',
      ts: '1735725600.000901',
      bot_id: 'B0AMBOT',
      text: 'belay-alert firing abc 2025-01-01T10:00:00Z pod="unterminated',
    };
    for (const [name, message] of Object.entries({ human, impostor, chatter, forged })) {
      assert.equal(parseSlackAlertMessage(message, sources, at).kind, 'not-an-alert', name);
    }
    for (const junk of [
      null,
      42,
      'text',
      {},
      { channel: 'C1', ts: 'not-a-ts', bot_id: 'B0AMBOT' },
      { channel: 'C1', ts: '1.2', bot_id: 'B0AMBOT', attachments: 'x' },
    ]) {
      assert.equal(parseSlackAlertMessage(junk, sources, at).kind, 'not-an-alert');
    }
  });
});
