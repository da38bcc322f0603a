import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCorrelator, InMemoryIncidentStore } from '../../../src/observe/correlate/index.ts';
import {
  createPagerDutyIncidentReader,
  parsePagerDutyWebhook,
  parseSlackAlertMessage,
} from '../../../src/observe/intake/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { startPagerDutyApi } from '../../fakes/pagerduty-api.ts';
import { fixture } from './intake-harness.ts';

const serviceLabels = { PSVC123: { cluster: 'homelab', namespace: 'shop', deployment: 'web' } };
const at = new Date('2025-01-01T10:01:00Z');

describe('PagerDuty incidents behind Slack messages and webhooks', () => {
  const incident = JSON.parse(fixture('pagerduty-incident-triggered.json')).event.data;
  let api: Awaited<ReturnType<typeof startPagerDutyApi>>;
  before(async () => {
    api = await startPagerDutyApi({ token: 'pd-token', windows: [], incidents: { Q1XYZ7ABCDE: incident } });
  });
  after(() => api.close());

  const slackAlert = () => {
    const result = parseSlackAlertMessage(
      JSON.parse(fixture('slack-pagerduty-app.json')),
      [{ kind: 'pagerduty', appIds: ['A0PAGERDUTY'] }],
      at,
    );
    assert.ok(result.kind === 'alerts');
    return result.alerts[0] as NonNullable<(typeof result.alerts)[0]>;
  };

  it('completes a Slack-read PagerDuty alert from the REST API, placing it by its service', async () => {
    const reader = createPagerDutyIncidentReader({ token: 'pd-token', baseUrl: api.url, serviceLabels });
    const { alert, problem } = await reader.enrich(slackAlert());
    assert.equal(problem, undefined);
    assert.equal(alert.name, 'KubePodCrashLooping shop/web');
    assert.equal(alert.labels.namespace, 'shop');
    assert.equal(alert.labels.pagerduty_service, 'shop-api');
    assert.equal(alert.source, 'slack');
    assert.deepEqual(alert.slackMessage, { channel: 'C0ALERTS', ts: '1735725600.000300' });
    assert.equal(api.requests.at(-1)?.headers.authorization, 'Token token=pd-token');
  });

  it('keeps the alert as it was, with the reason, when PagerDuty cannot answer', async () => {
    const wrongToken = createPagerDutyIncidentReader({ token: 'nope', baseUrl: api.url });
    const original = slackAlert();
    const result = await wrongToken.enrich(original);
    assert.deepEqual(result.alert, original);
    assert.match(result.problem ?? '', /HTTP 401/);
    const unknown = await createPagerDutyIncidentReader({ token: 'pd-token', baseUrl: api.url }).enrich({
      ...original,
      labels: { pagerduty_incident_id: 'PMISSING' },
    });
    assert.match(unknown.problem ?? '', /HTTP 404/);
  });

  it('the webhook and the Slack message of one incident are one alert in one incident', async () => {
    const clock = new ManualClock('2025-01-01T10:00:05Z');
    const store = new InMemoryIncidentStore();
    const correlator = createCorrelator({ store, clock });
    const webhook = parsePagerDutyWebhook(
      JSON.parse(fixture('pagerduty-incident-triggered.json')),
      at,
      serviceLabels,
    );
    assert.ok(webhook.ok && webhook.value.kind === 'alert');
    const first = await correlator.ingest([webhook.value.alert]);
    assert.equal(first.updates[0]?.incident.key, 'homelab/shop/Deployment/web');
    const reader = createPagerDutyIncidentReader({ token: 'pd-token', baseUrl: api.url, serviceLabels });
    const second = await correlator.ingest([(await reader.enrich(slackAlert())).alert]);
    assert.equal(second.updates[0]?.change, 'repeat');
    assert.equal(second.updates[0]?.investigate, false);
    assert.equal(store.incidents.size, 1);
    assert.deepEqual(second.updates[0]?.incident.slackThread, {
      channel: 'C0ALERTS',
      ts: '1735725600.000300',
    });
  });
});
