import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { webApi } from '@slack/bolt';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef } from '../../src/slack/outbox-entry.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import type { SlackClient } from '../../src/slack/slack-api.ts';
import { memberOf } from '../../src/slack/storm-members.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { incident, NOW, view } from '../support/slack-fixtures.ts';

function stormIncident(n: number) {
  return incident({
    id: `inc-storm-${n}`,
    namespace: `team-${n % 5}`,
    workload: { kind: 'Deployment', name: `svc-${n}` },
    title: `KubePodCrashLooping in team-${n % 5}/svc-${n}`,
    storm: true,
  });
}

/** Waits (up to 5 s) until a storm thread line mentioning `text` has been posted. */
async function threadListed(slack: FakeSlackApi, text: string): Promise<void> {
  const listed = () =>
    slack
      .served('chat.postMessage')
      .filter((p) => p.body.thread_ts)
      .map((p) => String(p.body.text))
      .join('\n');
  for (let waited = 0; !listed().includes(text) && waited < 5_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('Slack notifier: storm-shaped', () => {
  let slack: FakeSlackApi;
  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
  });

  function notifier(client: SlackClient, now = () => NOW) {
    const stored = new Map<string, IncidentMessageRef>();
    return createSlackNotifier({
      client,
      queue: createSendQueue({ logger: recordingLogger(), sleep: async () => undefined }),
      clock: { now },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
      stormBatch: { quietMs: 50, maxWaitMs: 1_000 },
    });
  }

  it('40 storm incidents → one storm message updated in place, the incidents listed in its thread', async () => {
    const n = notifier(createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl }));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => n.incidentUpdated(view({ incident: stormIncident(i) }))),
    );
    // The thread lines are posted in the background once the batch settles.
    await threadListed(slack, 'team-4/svc-39');
    const posts = slack.served('chat.postMessage');
    const top = posts.filter((p) => !p.body.thread_ts);
    assert.equal(top.length, 1, 'one top-level message for the whole storm');
    assert.match(String(top[0]?.body.text), /Alert storm/);
    const thread = posts.filter((p) => p.body.thread_ts);
    assert.ok(thread.length < 40, `incidents are batched (${thread.length} thread messages for 40)`);
    const listed = thread.map((p) => String(p.body.text)).join('\n');
    for (let i = 0; i < 40; i++) assert.match(listed, new RegExp(`team-${i % 5}/svc-${i}\\b`));
    const last = slack.served('chat.update').at(-1) ?? top[0];
    const blocks = JSON.stringify(last?.body.blocks);
    assert.match(blocks, /40 incidents/);
    assert.match(blocks, /By namespace:\*? team-\d \(8\)/);
    assert.match(blocks, /nothing runs automatically during a storm/i);
  });

  it('a storm two hours after the last one gets a message of its own, counting only its incidents', async (t) => {
    // A Slack of its own: the storm messages of the tests before are recent history in the shared one.
    const slack = await startFakeSlackApi();
    t.after(() => slack.close());
    let now = NOW;
    const n = notifier(createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl }), () => now);
    const topLevel = () => slack.served('chat.postMessage').filter((p) => !p.body.thread_ts);
    const sent = async (count: number) => {
      for (let waited = 0; topLevel().length < count && waited < 5_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
    };
    for (let i = 0; i < 3; i++) await n.incidentUpdated(view({ incident: stormIncident(i) }));
    await sent(1);
    // Its incidents listed in its thread, as they would be long before the next storm.
    await threadListed(slack, 'svc-2');
    now = new Date(NOW.getTime() + 2 * 3_600_000);
    for (let i = 10; i < 12; i++) await n.incidentUpdated(view({ incident: stormIncident(i) }));
    await sent(2);
    // Let any update that would still touch the first message land before reading them.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const top = topLevel();
    assert.equal(top.length, 2, 'one message per storm');
    const first = slack.served('chat.update').filter((u) => u.body.ts === top[0]?.response?.ts);
    const second = slack.served('chat.update').filter((u) => u.body.ts === top[1]?.response?.ts);
    const shown = JSON.stringify((second.at(-1) ?? top[1])?.body.blocks);
    assert.match(shown, /2 incidents/, 'the second storm counts its own two');
    assert.doesNotMatch(shown, /svc-[0-2]\b/, 'and lists none of the first');
    assert.match(
      JSON.stringify((first.at(-1) ?? top[0])?.body.blocks),
      /3 incidents/,
      'the first is left as it was',
    );
  });

  it('after a restart the continued storm message still counts the incidents listed before it', async (t) => {
    const slack = await startFakeSlackApi();
    t.after(() => slack.close());
    const client = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    const before = notifier(client);
    const listed = Array.from({ length: 5 }, (_, i) => stormIncident(i));
    for (const one of listed) await before.incidentUpdated(view({ incident: one }));
    await threadListed(slack, 'svc-4');

    // A new process: the outbox holds one storm incident that had not been sent; the store knows all six.
    const late = stormIncident(5);
    const stored = new Map<string, IncidentMessageRef>();
    const after = createSlackNotifier({
      client,
      queue: createSendQueue({ logger: recordingLogger(), sleep: async () => undefined }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
      stormBatch: { quietMs: 50, maxWaitMs: 1_000 },
      openIncidents: () => [...listed, late, { ...stormIncident(9), updatedAt: '2024-03-04T20:00:00Z' }],
      outbox: {
        pending: [
          {
            id: 'o-late',
            kind: 'incident',
            channel: 'C0INCIDENT',
            incidentId: late.id,
            message: {},
            storm: memberOf(late),
          },
        ],
        record: async () => undefined,
        sent: async () => undefined,
      },
    });
    await after.resume();
    await threadListed(slack, 'svc-5');
    const top = slack.served('chat.postMessage').filter((p) => !p.body.thread_ts);
    assert.equal(top.length, 1, 'the storm message is continued, not posted again');
    const last = slack
      .served('chat.update')
      .filter((u) => u.body.ts === top[0]?.response?.ts)
      .at(-1);
    const shown = JSON.stringify(last?.body.blocks);
    assert.match(shown, /6 incidents/, 'the five listed before the restart and the one sent after it');
    assert.doesNotMatch(shown, /svc-9\b/, 'an incident last seen hours ago belongs to an older storm');
    const lines = slack
      .served('chat.postMessage')
      .filter((p) => p.body.thread_ts)
      .map((p) => String(p.body.text))
      .join('\n');
    assert.equal(lines.match(/svc-0\b/g)?.length, 1, 'nothing listed twice');
  });

  it('an incident outside the storm is posted while the storm lane is stuck', async () => {
    const real = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Slack is slow for the storm's messages only (as when its lane waits out a Retry-After).
    const client: SlackClient = {
      apiCall: (async (method: string, args: Record<string, unknown>) => {
        if (/Alert storm/.test(String(args.text))) await stuck;
        return real.apiCall(method, args);
      }) as webApi.WebClient['apiCall'],
    };
    const n = notifier(client);
    const storm = Promise.all(
      Array.from({ length: 10 }, (_, i) => n.incidentUpdated(view({ incident: stormIncident(i) }))),
    );
    await n.incidentUpdated(
      view({ incident: incident({ id: 'inc-crashloop', title: 'KubePodCrashLooping in shop/web' }) }),
    );
    const alone = slack.served('chat.postMessage').filter((p) => !p.body.thread_ts);
    assert.equal(alone.length, 1);
    assert.match(String(alone[0]?.body.text), /shop\/web|KubePodCrashLooping/);
    release();
    await storm;
  });
});
