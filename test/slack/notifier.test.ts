import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef } from '../../src/slack/outbox-entry.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { incident, NOW, needsApproval, proposal, view } from '../support/slack-fixtures.ts';

describe('Slack notifier', () => {
  let slack: FakeSlackApi;
  let stored: Map<string, IncidentMessageRef>;
  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
    stored = new Map();
  });

  function notifier() {
    return createSlackNotifier({
      client: new webApi.WebClient('xoxb-test-token', {
        slackApiUrl: slack.apiUrl,
        retryConfig: { retries: 0 },
      }),
      queue: createSendQueue({ logger: recordingLogger(), sleep: async () => undefined }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
    });
  }

  it('posts once in the configured channel, stores the ts, then updates in place; thread lines go to its thread', async () => {
    const n = notifier();
    // Two renderings racing for a new incident: one post, of the newest (the older one is skipped).
    await Promise.all([
      n.incidentUpdated(view()),
      n.incidentUpdated(view({ proposal: proposal('proposed', needsApproval) })),
    ]);
    assert.match(JSON.stringify(slack.served('chat.postMessage')[0]?.body.blocks), /belay\.approve/);
    await n.incidentUpdated(view());
    await n.threadLine(incident(), 'Approved by <@U0DBA0001>');
    const posts = slack.served('chat.postMessage');
    assert.equal(posts.length, 2, 'one incident message and one thread line');
    assert.equal(posts[0]?.body.channel, 'C0INCIDENT');
    assert.equal(posts[0]?.body.thread_ts, undefined);
    const ref = stored.get('inc-0217');
    assert.ok(ref);
    const [update] = slack.served('chat.update');
    assert.equal(update?.body.ts, ref.ts);
    assert.equal(posts[1]?.body.thread_ts, ref.ts);
    assert.match(String(posts[1]?.body.text), /Approved by/);
  });

  it("posts in the alert message's thread when the incident came from a channel message", async () => {
    const fromChannel = incident({ slackThread: { channel: 'C0ALERTS', ts: '1699999999.000001' } });
    const n = notifier();
    await n.incidentUpdated(view({ incident: fromChannel }));
    await n.threadLine(fromChannel, 'executed');
    const posts = slack.served('chat.postMessage');
    assert.deepEqual(
      posts.map((p) => [p.body.channel, p.body.thread_ts]),
      [
        ['C0ALERTS', '1699999999.000001'],
        ['C0ALERTS', '1699999999.000001'],
      ],
    );
  });
});
