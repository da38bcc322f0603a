import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { decide } from '../../../src/decide/index.ts';
import { type Alert, type Facts, factsSchema } from '../../../src/domain/index.ts';
import { occurrencesAt } from '../../../src/observe/calendar/index.ts';
import { createAlertmanagerSilences } from '../../../src/observe/calendars-external/index.ts';
import { createCorrelator, InMemoryIncidentStore } from '../../../src/observe/correlate/index.ts';
import {
  createIntakeServer,
  type IntakeServer,
  parseSlackAlertMessage,
} from '../../../src/observe/intake/index.ts';
import { type RunningAlertmanager, startAlertmanager } from '../../fakes/alertmanager.ts';
import { type CaptureServer, startCaptureServer } from '../../fakes/capture-server.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import { storyPolicy } from '../../support/story-policy.ts';

const TOKEN = 'am-token-4f1d2c';
const PODS = ['web-7c9f8d6b5-x2x4z', 'web-7c9f8d6b5-k8s9q'];

async function recommendedTemplate(): Promise<string> {
  const doc = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /```go-template\n([\s\S]*?)\n```\n/.exec(doc);
  assert.ok(block, 'the README holds the template in a go-template block');
  return block[1] as string;
}

describe('a real Alertmanager delivering to Belay', () => {
  const clock = new ManualClock(new Date());
  const store = new InMemoryIncidentStore();
  const correlator = createCorrelator({ store, clock });
  const received: Alert[] = [];
  const authorizations: (string | undefined)[] = [];
  let notify: () => void = () => {};
  let intake: IntakeServer;
  let slack: CaptureServer;
  let am: RunningAlertmanager;

  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        notify = resolve;
        setTimeout(resolve, 500);
      });
    }
  };

  before(async () => {
    intake = createIntakeServer({
      onAlerts: async (alerts) => {
        received.push(...alerts);
        await correlator.ingest(alerts);
        notify();
      },
      deliveries: store,
      clock,
      logger: new RecordingLogger(),
      alertmanager: { auth: { type: 'bearer', token: TOKEN } },
    });
    intake.server.on('request', (req) => {
      if (req.url === '/webhooks/alertmanager') authorizations.push(req.headers.authorization);
    });
    const { port } = await intake.listen(0, '127.0.0.1');
    slack = await startCaptureServer();
    am = await startAlertmanager({
      webhookUrl: `http://127.0.0.1:${port}/webhooks/alertmanager`,
      bearerToken: TOKEN,
      slack: { url: `${slack.url}/slack`, template: await recommendedTemplate() },
    });
  });

  after(async () => {
    await am?.stop();
    await intake?.close();
    await slack?.close();
  });

  const labels = (pod: string) => ({
    alertname: 'KubePodCrashLooping',
    cluster: 'homelab',
    namespace: 'shop',
    pod,
    severity: 'warning',
  });

  it('receives the alerts with the bearer token and groups both pods into one incident', async () => {
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    await am.postAlerts(
      PODS.map((pod) => ({ labels: labels(pod), annotations: { summary: 'crash looping' }, endsAt })),
    );
    await until('both alerts', () => new Set(received.map((a) => a.labels.pod)).size === 2);
    assert.ok(authorizations.length > 0);
    assert.ok(authorizations.every((a) => a === `Bearer ${TOKEN}`));
    const incidents = [...store.incidents.values()];
    assert.equal(incidents.length, 1);
    const [incident] = incidents;
    assert.equal(incident?.key, 'homelab/shop/Deployment/web');
    assert.deepEqual(incident?.workload, { kind: 'Deployment', name: 'web' });
    assert.equal(Object.keys(incident?.alerts ?? {}).length, 2);
    assert.equal(incident?.status, 'open');
  });

  it('closes the incident when Alertmanager sends the resolve', async () => {
    const endsAt = new Date(Date.now() - 1_000).toISOString();
    await am.postAlerts(PODS.map((pod) => ({ labels: labels(pod), endsAt })));
    await until('the resolve', () => [...store.incidents.values()].every((i) => i.status === 'resolved'));
    const [incident] = [...store.incidents.values()];
    assert.deepEqual(Object.values(incident?.alerts ?? {}), ['resolved', 'resolved']);
    assert.equal(store.incidents.size, 1, 'the resolve opened nothing new');
  });

  it('posts the recommended Slack template, which parses back into the same alerts', async () => {
    const posted = await slack.waitFor((r) => r.body.includes('belay-alert firing'));
    if (process.env.DUMP_SLACK) console.log(posted.body);
    const body = JSON.parse(posted.body) as { attachments: unknown[] };
    const result = parseSlackAlertMessage(
      {
        channel: 'C0ALERTS',
        ts: '1700000000.000100',
        subtype: 'bot_message',
        bot_id: 'B0AM',
        attachments: body.attachments,
      },
      [{ kind: 'alertmanager', botIds: ['B0AM'] }],
      clock.now(),
    );
    assert.equal(result.kind, 'alerts');
    if (result.kind !== 'alerts') return;
    const fromWebhook = new Map(received.filter((a) => a.status === 'firing').map((a) => [a.fingerprint, a]));
    assert.equal(result.alerts.length, 2);
    for (const alert of result.alerts) {
      assert.deepEqual(
        alert.labels,
        fromWebhook.get(alert.fingerprint)?.labels,
        'same fingerprint, same labels',
      );
      assert.deepEqual(alert.slackMessage, { channel: 'C0ALERTS', ts: '1700000000.000100' });
    }
  });

  it('treats a silence created in that Alertmanager as a window for the matching target only', async () => {
    const now = Date.now();
    const id = await am.createSilence({
      matchers: [
        { name: 'namespace', value: 'shop', isRegex: false, isEqual: true },
        { name: 'pod', value: 'web-.*', isRegex: true, isEqual: true },
      ],
      startsAt: new Date(now - 1_000).toISOString(),
      // Generous: this machine's Alertmanager clock may not agree with Node's to the minute.
      endsAt: new Date(now + 4 * 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'database upgrade',
    });
    clock.set(new Date());
    const silences = createAlertmanagerSilences({ url: am.url, clock, timeoutMs: 2_000 });
    // The subject carries the pod's Kubernetes labels; silences are matched against the alert's labels.
    const target = { cluster: 'homelab', namespace: 'shop', names: ['web'], labels: { app: 'web' } };
    const alertLabels = [labels(PODS[0] as string)];
    const inside = await silences.windowsFor(target, alertLabels);
    assert.deepEqual(inside.problems, []);
    assert.equal(inside.windows.length, 1);
    assert.deepEqual(inside.windows[0]?.source, { type: 'alertmanager-silence', ref: id });
    assert.equal(inside.windows[0]?.blocks, 'all');
    assert.equal(inside.windows[0]?.timing.type, 'one-off');
    const other = await silences.windowsFor({ ...target, namespace: 'cart' }, [
      { ...labels(PODS[0] as string), namespace: 'cart' },
    ]);
    assert.deepEqual(other.windows, []);

    // Through the calendar and the policy engine: the silence blocks a restart the policy would suggest.
    const restart = (facts: Facts) =>
      decide(
        storyPolicy,
        {
          request: { kind: 'restart-pod', target: { cluster: 'homelab', namespace: 'shop', pod: PODS[0] } },
          origin: { type: 'manual', user: 'U0SRE0001' },
        },
        facts,
        clock.now(),
      );
    const facts = (extra: Partial<Facts>) =>
      factsSchema.parse({
        cluster: 'homelab',
        namespace: 'shop',
        pod: { name: PODS[0], labels: {}, restartCount: 7 },
        owner: { kind: 'Deployment', name: 'web' },
        approvedBefore: ['restart-pod@Pod of Deployment'],
        ...extra,
      });
    assert.notEqual(restart(facts({})).disposition, 'blocked', 'without the silence the restart is allowed');
    const blocked = restart(facts({ windows: occurrencesAt(inside.windows, target, clock.now()) }));
    assert.equal(blocked.disposition, 'blocked');
    assert.match(JSON.stringify(blocked.reasons), new RegExp(`Alertmanager silence ${id}`));

    await am.stop();
    clock.advance(60_000);
    const down = await silences.windowsFor(target, alertLabels);
    assert.deepEqual(down.windows, []);
    assert.equal(down.problems.length, 1);
    assert.equal(down.problems[0]?.failClosed, true);
    const unreachable = restart(facts({ calendarProblems: down.problems }));
    assert.equal(unreachable.disposition, 'blocked', 'an unreachable Alertmanager fails closed');
    assert.match(JSON.stringify(unreachable.reasons), /Could not read the Alertmanager silences/);
  });
});
