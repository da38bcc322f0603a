import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSlackOutboxFile } from '../../src/govern/store/index.ts';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef } from '../../src/slack/outbox-entry.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { tempDir } from '../govern/store/temp-dir.ts';
import { incident, NOW, view } from '../support/slack-fixtures.ts';

describe('Slack notifier: outbox and one retry layer', () => {
  let slack: FakeSlackApi;
  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
  });

  it('a post whose result was lost is found by its metadata on resume: updated, not posted twice', async (t) => {
    const dir = await tempDir(t);
    const client = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    const queue = () => createSendQueue({ logger: recordingLogger(), sleep: async () => undefined });
    const first = await createSlackOutboxFile({ dir });
    // The process dies between Slack's answer and remembering it: the ts is never stored.
    const crashing = createSlackNotifier({
      client,
      queue: queue(),
      outbox: first,
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: {
        get: async () => undefined,
        set: async () => {
          throw new Error('killed');
        },
      },
    });
    await assert.rejects(crashing.incidentUpdated(view()), /killed/);
    await first.close();

    const outbox = await createSlackOutboxFile({ dir });
    assert.equal(outbox.pending.length, 1, 'the message is not marked sent');
    const stored = new Map<string, IncidentMessageRef>();
    const restarted = createSlackNotifier({
      client,
      queue: queue(),
      outbox,
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
    });
    await restarted.resume();
    await outbox.close();
    const posts = slack.served('chat.postMessage');
    assert.equal(posts.length, 1, 'posted once, before the crash');
    const [update] = slack.served('chat.update');
    assert.equal(update?.body.ts, stored.get(incident().id)?.ts);
    assert.equal((await createSlackOutboxFile({ dir })).pending.length, 0, 'marked sent after the update');
  });

  it('Slack answers 429 with Retry-After: 2 → the one retry waits exactly 2 s, then sends', async () => {
    slack.rateLimit('chat.postMessage', 1, 2);
    const waits: number[] = [];
    const n = createSlackNotifier({
      client: createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl }),
      queue: createSendQueue({
        logger: recordingLogger(),
        sleep: async (ms) => void waits.push(ms),
      }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async () => undefined, set: async () => undefined },
    });
    await n.threadLine(incident(), 'hello');
    assert.deepEqual(waits, [2_000], 'no SDK retries hidden inside: the queue waited as Slack asked');
    assert.deepEqual(
      slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status),
      [429, 200],
    );
  });
});
