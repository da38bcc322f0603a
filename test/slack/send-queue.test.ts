import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import { callSlack } from '../../src/slack/slack-api.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';

describe('per-channel send queue against a rate-limiting Slack', () => {
  let slack: FakeSlackApi;
  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
  });

  const noWait = async () => undefined;
  function post(client: webApi.WebClient, channel: string, text: string) {
    return () => callSlack(client, 'chat.postMessage', { channel, text });
  }

  it('an alert storm through 429s loses no message and keeps order per channel (the client gives up, the queue does not)', async () => {
    // The WebClient retries nothing here, so every 429 reaches the queue.
    const client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const logger = recordingLogger();
    const queue = createSendQueue({ logger, sleep: noWait });
    slack.rateLimit('chat.postMessage', 25, 0);
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++)
      sends.push(queue.send(i % 2 ? 'C0B' : 'C0A', post(client, i % 2 ? 'C0B' : 'C0A', `m${i}`)));
    await Promise.all(sends);
    const served = slack.served('chat.postMessage');
    assert.equal(served.length, 40);
    for (const channel of ['C0A', 'C0B']) {
      const texts = served.filter((c) => c.body.channel === channel).map((c) => c.body.text);
      const expected = Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => (i % 2 ? 'C0B' : 'C0A') === channel)
        .map((i) => `m${i}`);
      assert.deepEqual(texts, expected, `order in ${channel}`);
    }
    assert.equal(slack.calls.filter((c) => c.status === 429).length, 25);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /retried/.test(l.message)));
  });

  it("rides on the WebClient's own 429 retries when they succeed", async () => {
    const client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 3, factor: 1, minTimeout: 1, maxTimeout: 2 },
    });
    const logger = recordingLogger();
    const queue = createSendQueue({ logger, sleep: noWait });
    slack.rateLimit('chat.postMessage', 2, 0);
    await queue.send('C0A', post(client, 'C0A', 'first'));
    await queue.send('C0A', post(client, 'C0A', 'second'));
    assert.deepEqual(
      slack.served('chat.postMessage').map((c) => c.body.text),
      ['first', 'second'],
    );
    assert.equal(logger.lines.filter((l) => l.level === 'warn').length, 0, 'the client handled it alone');
  });

  it('returns a platform error to the caller at once and carries on with the next message', async () => {
    const client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const queue = createSendQueue({ logger: recordingLogger(), sleep: noWait });
    slack.failWith('chat.postMessage', 'channel_not_found');
    await assert.rejects(queue.send('C0GONE', post(client, 'C0GONE', 'lost?')), /channel_not_found/);
    slack.failWith('chat.postMessage', undefined);
    await queue.send('C0GONE', post(client, 'C0GONE', 'next'));
    assert.equal(
      slack.calls.filter((c) => c.method === 'chat.postMessage').length,
      2,
      'no retry of a platform error',
    );
  });

  it('gives up on a transient failure after the configured attempts', async () => {
    const queue = createSendQueue({ logger: recordingLogger(), sleep: noWait, maxTransientAttempts: 3 });
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });
    };
    await assert.rejects(queue.send('C0A', failing), /socket hang up/);
    assert.equal(attempts, 3);
  });

  it('on close, stops waiting to retry and sends nothing more, so a stopping Belay does not hang on Slack', async () => {
    // A real timer a minute long: only close() can end this wait in time.
    const queue = createSendQueue({ logger: recordingLogger(), backoffMs: () => 60_000 });
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw Object.assign(new Error('fetch failed'), { code: 'slack_webapi_request_error' });
    };
    const pending = queue.send('C0A', failing);
    const queued = queue.send('C0A', async () => 'never sent');
    await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    queue.close();
    await assert.rejects(pending, /Belay is stopping/);
    await assert.rejects(queued, /Belay is stopping/);
    assert.ok(Date.now() - started < 1_000, 'close ends the wait at once');
    assert.equal(attempts, 1);
    await assert.rejects(
      queue.send('C0B', async () => 'late'),
      /Belay is stopping/,
    );
  });
});
