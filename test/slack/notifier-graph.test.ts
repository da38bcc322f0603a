import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GraphFile } from '../../src/domain/index.ts';
import { createSlackOutboxFile } from '../../src/govern/store/index.ts';
import { createGraphRenderer } from '../../src/graph/index.ts';
import { createSlackNotifier, type SlackNotifierOptions } from '../../src/slack/notifier.ts';
import type { IncidentMessageRef } from '../../src/slack/outbox-entry.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { tempDir } from '../govern/store/temp-dir.ts';
import { storyGraphSpec } from '../support/graph-fixtures.ts';
import { incident, NOW, needsApproval, proposal, view } from '../support/slack-fixtures.ts';

describe('Slack notifier: the incident graph', () => {
  let slack: FakeSlackApi;
  let file: GraphFile;
  before(async () => {
    slack = await startFakeSlackApi();
    file = {
      filename: 'inc-0217-container_memory_working_set_bytes.png',
      title: 'databases/postgres-0 · memory',
      altText: 'postgres-0 memory from 20:17 to 03:02 UTC; latest 6.2 GB',
      png: createGraphRenderer().render(storyGraphSpec()),
    };
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
    slack.files.length = 0;
  });

  function notifier(stored: Map<string, IncidentMessageRef>, extra: Partial<SlackNotifierOptions> = {}) {
    const client = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    return createSlackNotifier({
      client,
      files: client,
      queue: createSendQueue({ logger: recordingLogger(), sleep: async () => undefined }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async (id) => stored.get(id), set: async (id, ref) => void stored.set(id, ref) },
      ...extra,
    });
  }

  it("uploads the PNG into the card's thread through Slack's external upload flow, then points the card at it", async () => {
    const stored = new Map<string, IncidentMessageRef>();
    const n = notifier(stored);
    await n.incidentUpdated(view({ proposal: proposal('proposed', needsApproval) }));
    assert.ok(n.graph, 'a notifier with a files client shows graphs');
    await n.graph(incident(), file);

    const ref = stored.get('inc-0217');
    assert.ok(ref);
    const methods = slack.calls.filter((c) => c.status === 200).map((c) => c.method);
    assert.deepEqual(methods, [
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
      'chat.update',
    ]);
    const [asked] = slack.served('files.getUploadURLExternal');
    assert.equal(Number(asked?.body.length), file.png.length);
    assert.equal(asked?.body.alt_text, file.altText);
    const [uploaded] = slack.files;
    assert.ok(uploaded?.bytes, 'the bytes reached the upload URL');
    assert.ok(uploaded.bytes.equals(Buffer.from(file.png)), 'the same PNG, byte for byte');
    assert.equal(uploaded.title, file.title);
    assert.equal(uploaded.channel, 'C0INCIDENT');
    assert.equal(uploaded.threadTs, ref.threadTs, "in the card's thread");

    const blocks = slack.served('chat.update')[0]?.body.blocks as { type: string; block_id?: string }[];
    const pointer = blocks.findIndex((b) => b.block_id === 'belay_graph');
    assert.ok(pointer >= 0, 'the card points at the graph');
    assert.match(JSON.stringify(blocks[pointer]), new RegExp(`files/UBELAY0001/${uploaded.id}/`));
    assert.ok(pointer < blocks.findIndex((b) => b.type === 'actions'), 'above the buttons, which stay last');

    // Later renderings of the card keep pointing at the graph.
    await n.incidentUpdated(view({ proposal: proposal('approved', needsApproval) }));
    assert.match(JSON.stringify(slack.served('chat.update')[1]?.body.blocks), /belay_graph/);
  });

  it('after a restart the card still points at its graph', async () => {
    const stored = new Map<string, IncidentMessageRef>();
    const before = notifier(stored);
    await before.incidentUpdated(view({ proposal: proposal('proposed', needsApproval) }));
    await before.graph?.(incident(), file);
    assert.equal(stored.get('inc-0217')?.graph?.title, file.title, 'the pointer is kept with the ref');

    // A new process knows nothing of the upload but what the ref kept.
    const after = notifier(stored);
    await after.incidentUpdated(view({ proposal: proposal('approved', needsApproval) }));
    const updates = slack.served('chat.update');
    assert.match(JSON.stringify(updates.at(-1)?.body.blocks), /belay_graph/);
    assert.equal(slack.files.length, 1, 'nothing uploaded again');
  });

  it('a graph recorded in the outbox before a crash is uploaded after the restart, once', async (t) => {
    const dir = await tempDir(t);
    const stored = new Map<string, IncidentMessageRef>();
    const first = await createSlackOutboxFile({ dir });
    const crashing = notifier(stored, {
      outbox: first,
      files: {
        filesUploadV2: async () => {
          throw new Error('killed');
        },
      },
    });
    await crashing.incidentUpdated(view());
    await assert.rejects(crashing.graph?.(incident(), file) ?? Promise.resolve(), /killed/);
    await first.close();

    const outbox = await createSlackOutboxFile({ dir });
    assert.deepEqual(
      outbox.pending.map((e) => e.kind),
      ['graph'],
      'the graph is not marked sent',
    );
    await notifier(stored, { outbox }).resume();
    await outbox.close();
    assert.equal(slack.files.length, 1);
    assert.ok(slack.files[0]?.bytes?.equals(Buffer.from(file.png)), 'the PNG survived the restart intact');
    assert.equal(slack.files[0]?.threadTs, stored.get('inc-0217')?.threadTs);
    assert.equal((await createSlackOutboxFile({ dir })).pending.length, 0);
  });

  it('an upload that landed but whose answer was lost in a crash is found in the thread on resume, not sent twice', async (t) => {
    const dir = await tempDir(t);
    const stored = new Map<string, IncidentMessageRef>();
    const first = await createSlackOutboxFile({ dir });
    const real = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    const crashing = notifier(stored, {
      outbox: first,
      files: {
        filesUploadV2: async (args) => {
          await real.filesUploadV2(args);
          throw new Error('killed after Slack took it');
        },
      },
    });
    await crashing.incidentUpdated(view());
    await assert.rejects(
      crashing.graph?.(incident(), file) ?? Promise.resolve(),
      /killed after Slack took it/,
    );
    await first.close();
    assert.equal(slack.files.length, 1);
    assert.match(
      slack.files[0]?.filename ?? '',
      /^inc-0217-container_memory_working_set_bytes-[0-9a-f]{8}\.png$/,
    );

    const outbox = await createSlackOutboxFile({ dir });
    assert.equal(outbox.pending.length, 1);
    await notifier(stored, { outbox }).resume();
    await outbox.close();
    assert.equal(slack.files.length, 1, 'uploaded once, before the crash');
    assert.equal(slack.served('files.getUploadURLExternal').length, 1);
    assert.equal(slack.served('conversations.replies').length, 1, 'the thread was asked');
    assert.equal((await createSlackOutboxFile({ dir })).pending.length, 0);
  });

  it('a refusal from Slack (missing_scope) reaches the caller and is not retried forever', async (t) => {
    const dir = await tempDir(t);
    const outbox = await createSlackOutboxFile({ dir });
    const n = notifier(new Map(), { outbox });
    await n.incidentUpdated(view());
    slack.failWith('files.getUploadURLExternal', 'missing_scope');
    try {
      await assert.rejects(n.graph?.(incident(), file) ?? Promise.resolve(), /missing_scope/);
    } finally {
      slack.failWith('files.getUploadURLExternal', undefined);
    }
    await outbox.close();
    assert.equal(slack.files.length, 0);
    assert.equal(
      (await createSlackOutboxFile({ dir })).pending.length,
      0,
      'marked done: resending cannot help',
    );
  });

  it('a notifier without a files client offers no graph', () => {
    const client = createSlackWebClient('xoxb-test-token', { apiUrl: slack.apiUrl });
    const n = createSlackNotifier({
      client,
      queue: createSendQueue({ logger: recordingLogger(), sleep: async () => undefined }),
      clock: { now: () => NOW },
      incidentChannel: 'C0INCIDENT',
      refs: { get: async () => undefined, set: async () => undefined },
    });
    assert.equal(n.graph, undefined);
  });
});
