import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSlackOutboxFile } from '../../src/govern/store/slack-outbox-file.ts';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef, SlackOutbox } from '../../src/slack/outbox-entry.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import type { SlackClient } from '../../src/slack/slack-api.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { incident, NOW, view } from '../support/slack-fixtures.ts';

function stormIncident(n: number) {
  return incident({
    id: `inc-line-${n}`,
    namespace: `team-${n % 3}`,
    workload: { kind: 'Deployment', name: `svc-${n}` },
    title: `KubePodCrashLooping in team-${n % 3}/svc-${n}`,
    storm: true,
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await pause(20);
  }
}

describe('storm thread lines go through the durable outbox', () => {
  let slack: FakeSlackApi;
  let dir: string;
  before(async () => {
    slack = await startFakeSlackApi();
    dir = await mkdtemp(join(tmpdir(), 'belay-storm-lines-'));
  });
  after(async () => {
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });

  function notifier(
    outbox: SlackOutbox,
    client: SlackClient = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl }),
  ) {
    const stored = new Map<string, IncidentMessageRef>();
    return createSlackNotifier({
      client,
      queue: createSendQueue({ logger: recordingLogger() }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
      outbox,
      stormBatch: { quietMs: 50, maxWaitMs: 500 },
    });
  }
  const threadPosts = () => slack.served('chat.postMessage').filter((p) => p.body.thread_ts);
  const listed = (title: string) =>
    threadPosts().filter((p) => String(p.body.text).split('\n').includes(title)).length;

  it('a batch posted whose sent marks were lost (a crash right after it) is not posted again on resume', async () => {
    const dirA = join(dir, 'lost-marks');
    const file = await createSlackOutboxFile({ dir: dirA });
    // Everything is recorded; no mark ever reaches the disk, as when Belay dies right after Slack answers.
    const first = notifier({
      pending: file.pending,
      record: (e) => file.record(e),
      sent: () => new Promise(() => {}),
    });
    for (let i = 0; i < 4; i++) void first.incidentUpdated(view({ incident: stormIncident(i) }));
    await until(() => threadPosts().length > 0, 'the first batch of thread lines');
    await file.close();

    const reopened = await createSlackOutboxFile({ dir: dirA });
    assert.ok(reopened.pending.length >= 4, 'the outbox still holds every entry');
    const second = notifier(reopened);
    await second.resume();
    await pause(300); // several batch waits: a line posted twice would be out by now
    for (let i = 0; i < 4; i++) assert.equal(listed(stormIncident(i).title), 1, `svc-${i} listed once`);
    await reopened.close();

    const afterwards = await createSlackOutboxFile({ dir: dirA });
    assert.deepEqual(afterwards.pending, [], 'the resumed lines were found in the thread and marked sent');
    await afterwards.close();
  });

  it('a line is marked sent only once its batch is posted, not when the storm message was updated', async () => {
    const dirB = join(dir, 'order');
    const file = await createSlackOutboxFile({ dir: dirB });
    const marks: string[] = [];
    const outbox: SlackOutbox = {
      pending: file.pending,
      record: (e) => file.record(e),
      sent: async (id) => {
        marks.push(`${id} after ${threadPosts().length} thread posts`);
        await file.sent(id);
      },
    };
    const n = notifier(outbox);
    const before = threadPosts().length;
    await n.incidentUpdated(view({ incident: stormIncident(10) }));
    assert.deepEqual(marks, [], 'the storm message is updated, but the line still waits for its batch');
    await until(() => marks.length > 0, 'the line marked sent');
    assert.equal(threadPosts().length, before + 1);
    assert.match(marks[0] ?? '', new RegExp(`after ${before + 1} thread posts$`));
    await file.close();
  });

  it('a batch whose answer was lost (Slack posted it, the connection dropped) is looked for before it is sent again', async () => {
    const dirC = join(dir, 'lost-answer');
    const file = await createSlackOutboxFile({ dir: dirC });
    const real = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    let dropped = 0;
    // Slack gets the first thread post and answers it; the answer never arrives.
    const client: SlackClient = {
      apiCall: async (method, args) => {
        const answer = await real.apiCall(method, args);
        if (method === 'chat.postMessage' && args?.thread_ts && dropped++ === 0)
          throw Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });
        return answer;
      },
    };
    const marked: string[] = [];
    const outbox: SlackOutbox = {
      pending: file.pending,
      record: (e) => file.record(e),
      sent: async (id) => {
        await file.sent(id);
        marked.push(id);
      },
    };
    const n = notifier(outbox, client);
    await n.incidentUpdated(view({ incident: stormIncident(20) }));
    await until(() => dropped > 0, 'the first batch posted');
    await until(() => marked.length > 0, 'the line marked sent after the retry');
    await pause(300);
    assert.equal(listed(stormIncident(20).title), 1, 'posted once, though its answer was lost');
    await file.close();
    const reopened = await createSlackOutboxFile({ dir: dirC });
    assert.deepEqual(reopened.pending, [], 'and marked sent');
    await reopened.close();
  });
});
