import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef } from '../../src/slack/outbox-entry.ts';
import { createSendQueue, type SendQueue } from '../../src/slack/send-queue.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { incident, NOW, view } from '../support/slack-fixtures.ts';

function stormIncident(n: number) {
  return incident({
    id: `inc-batch-${n}`,
    namespace: `team-${n % 5}`,
    workload: { kind: 'Deployment', name: `svc-${n}` },
    title: `KubePodCrashLooping in team-${n % 5}/svc-${n}`,
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

describe('Slack notifier: storm thread lines batched across deliveries', () => {
  let slack: FakeSlackApi;
  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
  });

  function notifier(queue: SendQueue, stormBatch: { quietMs: number; maxWaitMs: number }) {
    const stored = new Map<string, IncidentMessageRef>();
    return createSlackNotifier({
      client: createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl }),
      queue,
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
      stormBatch,
    });
  }
  const threadPosts = () => slack.served('chat.postMessage').filter((p) => p.body.thread_ts);

  it('10 incidents arriving one by one share one thread message, and the storm message counts all 10', async () => {
    const queue = createSendQueue({ logger: recordingLogger() });
    const n = notifier(queue, { quietMs: 300, maxWaitMs: 30_000 });
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      sends.push(n.incidentUpdated(view({ incident: stormIncident(i) })));
      await pause(20); // each its own delivery: the previous one's send has already started
    }
    await Promise.all(sends);
    await until(() => threadPosts().length > 0, 'the batch of thread lines');
    await pause(400); // a second batch would have been posted by now
    const thread = threadPosts();
    assert.equal(thread.length, 1, `one thread message for 10 incidents, got ${thread.length}`);
    const listed = String(thread[0]?.body.text);
    for (let i = 0; i < 10; i++) assert.match(listed, new RegExp(`team-${i % 5}/svc-${i}\\b`));
    const top = slack.served('chat.postMessage').filter((p) => !p.body.thread_ts);
    assert.equal(top.length, 1);
    const last = slack.served('chat.update').at(-1) ?? top[0];
    assert.match(JSON.stringify(last?.body.blocks), /10 incidents/);
  });

  it('a stop posts the waiting thread lines at once instead of waiting out the batch', async () => {
    const queue = createSendQueue({ logger: recordingLogger() });
    const n = notifier(queue, { quietMs: 600_000, maxWaitMs: 600_000 });
    await Promise.all([0, 1, 2].map((i) => n.incidentUpdated(view({ incident: stormIncident(i) }))));
    await pause(100);
    assert.equal(threadPosts().length, 0, 'the lines wait to be batched');
    queue.close();
    await until(() => threadPosts().length > 0, 'the waiting lines posted on stop');
    const thread = threadPosts();
    assert.equal(thread.length, 1);
    for (let i = 0; i < 3; i++) assert.match(String(thread[0]?.body.text), new RegExp(`svc-${i}\\b`));
  });
});
