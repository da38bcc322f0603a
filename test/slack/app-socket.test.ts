import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { incidentMessage } from '../../src/slack/blocks/index.ts';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../src/slack/index.ts';
import type { ThreadQuestion } from '../../src/slack/listeners/index.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { ScriptedRemediationService } from '../fakes/remediation-service.ts';
import { type FakeSlackApi, type RecordedCall, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../fakes/slack-socket-mode.ts';
import { NOW, needsApproval, proposal, view } from '../support/slack-fixtures.ts';
import { blockActionsPayload, slashCommandFields } from '../support/slack-payloads.ts';

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-test-token';
const CHANNEL = 'C0INCIDENT';
const CARD_TS = '1700000000.000100';

function socketApp(
  slack: FakeSlackApi,
  service: ScriptedRemediationService,
  appToken = APP_TOKEN,
  extra: Partial<SlackAppOptions> = {},
) {
  return createSlackApp({
    mode: 'socket',
    tokens: { botToken: BOT_TOKEN, appToken },
    slackApiUrl: slack.apiUrl,
    service,
    onChannelMessage: async () => undefined,
    onThreadQuestion: async () => undefined,
    logger: recordingLogger(),
    clock: { now: () => NOW },
    retryConfig: { retries: 0 },
    ...extra,
  });
}

describe('the Bolt app in Socket Mode, against a fake Slack (Web API and socket)', () => {
  let socket: FakeSocketMode;
  let slack: FakeSlackApi;
  let service: ScriptedRemediationService;
  let edge: SlackApp;
  let responses = 0;
  let connectionOpened: RecordedCall[];
  const logger = recordingLogger();
  const questions: ThreadQuestion[] = [];

  before(async () => {
    socket = await startFakeSocketMode();
    slack = await startFakeSlackApi({ socketMode: socket, appToken: APP_TOKEN });
    service = new ScriptedRemediationService();
    edge = socketApp(slack, service, APP_TOKEN, {
      logger,
      onThreadQuestion: async (question) => {
        questions.push(question);
        return undefined;
      },
    });
    await edge.start();
    connectionOpened = slack.served('apps.connections.open');
  });
  after(async () => {
    await edge.stop();
    await slack.close();
    await socket.close();
  });
  beforeEach(() => {
    service.calls.length = 0;
    slack.calls.length = 0;
  });

  function approveClick(proposalId: string, user: string) {
    const card = incidentMessage(view({ proposal: proposal('proposed', needsApproval) }), NOW);
    const responseId = `click-${++responses}`;
    return {
      responseId,
      payload: blockActionsPayload({
        actionId: 'belay.approve',
        value: proposalId,
        user,
        channel: CHANNEL,
        messageTs: CARD_TS,
        responseUrl: slack.responseUrl(responseId),
        message: card,
        nth: responses,
      }),
    };
  }

  function slash(text: string) {
    const responseId = `cmd-${++responses}`;
    return {
      responseId,
      payload: slashCommandFields({
        text,
        user: 'U0SRE0001',
        channel: CHANNEL,
        responseUrl: slack.responseUrl(responseId),
      }),
    };
  }

  it('opened its socket through apps.connections.open on the configured API base, with the app token', () => {
    assert.equal(connectionOpened.length, 1);
    assert.equal(connectionOpened[0]?.token, APP_TOKEN);
    assert.equal(socket.accepted, 1);
    assert.equal(socket.openConnections(), 1);
    assert.equal(socket.refused, 0);
  });

  it('an Approve envelope is acked and calls service.approve once with the proposal id and the clicker', async () => {
    service.clickResult = async () => ({
      ok: true,
      message: 'Approved and done.',
      proposal: proposal('succeeded', needsApproval),
    });
    const envelopeId = socket.send({
      type: 'interactive',
      payload: approveClick('p-7f3a', 'U0DBA0001').payload,
    });
    const ack = await socket.waitForAck(envelopeId);
    assert.ok(ack.afterMs < 3_000, `acked in ${ack.afterMs} ms`);
    const [update] = await slack.waitFor('chat.update');
    assert.deepEqual(service.calls, [{ method: 'approve', proposalId: 'p-7f3a', user: 'U0DBA0001' }]);
    assert.equal(update?.token, BOT_TOKEN, 'the card is redrawn through the same fake Web API');
    assert.equal(update?.body.ts, CARD_TS);
  });

  it('/remediate is acked within 3 s, before its use-case returns, and answered through response_url', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = service.status.bind(service);
    service.status = async () => {
      await held;
      return original();
    };
    try {
      const { responseId, payload } = slash('status');
      const envelopeId = socket.send({ type: 'slash_commands', payload, accepts_response_payload: true });
      const ack = await socket.waitForAck(envelopeId);
      assert.ok(ack.afterMs < 3_000, `acked in ${ack.afterMs} ms`);
      assert.equal(
        slack.served(`response_url:${responseId}`).length,
        0,
        'acked while status is still working',
      );
      release();
      const [reply] = await slack.waitFor(`response_url:${responseId}`);
      assert.match(String(reply?.body.text), /0 open incidents/);
      assert.deepEqual(service.calls, [{ method: 'status' }]);
    } finally {
      service.status = original;
    }
  });

  it('help travels back in the ack payload itself, calling nothing', async () => {
    const envelopeId = socket.send({
      type: 'slash_commands',
      payload: slash('restart everything').payload,
      accepts_response_payload: true,
    });
    const ack = await socket.waitForAck(envelopeId);
    assert.equal(ack.payload?.response_type, 'ephemeral');
    assert.match(JSON.stringify(ack.payload?.blocks), /not a \/remediate subcommand/);
    assert.deepEqual(service.calls, []);
  });

  it('a redelivered envelope is acked again but reaches the use-case once', async () => {
    service.clickResult = async () => ({ ok: true, message: 'Approved.' });
    const { payload } = approveClick('p-retry', 'U0DBA0001');
    const envelopeId = socket.send({ type: 'interactive', payload });
    await socket.waitForAck(envelopeId);
    socket.send({
      type: 'interactive',
      payload,
      envelope_id: envelopeId,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    await socket.waitForAck(envelopeId, 2);
    // A fresh click on the same proposal is a new envelope and does reach the (idempotent) use-case.
    const fresh = socket.send({ type: 'interactive', payload: approveClick('p-retry', 'U0DBA0002').payload });
    await socket.waitForAck(fresh);
    await waitUntil(() => service.calls.length >= 2);
    assert.deepEqual(service.calls, [
      { method: 'approve', proposalId: 'p-retry', user: 'U0DBA0001' },
      { method: 'approve', proposalId: 'p-retry', user: 'U0DBA0002' },
    ]);
  });

  it('an Events API retry (new envelope, same event_id) is acked and dropped before Bolt sees it', async () => {
    const mention = (envelopeRetry: number) => ({
      type: 'events_api' as const,
      ...(envelopeRetry > 0 ? { retry_attempt: envelopeRetry, retry_reason: 'timeout' } : {}),
      payload: {
        type: 'event_callback',
        team_id: 'T0TEAM0001',
        api_app_id: 'A0BELAY',
        event_id: 'Ev0SOCKET1',
        event_time: 1700000000,
        event: {
          type: 'app_mention',
          user: 'U0SRE0001',
          text: '<@UBELAY0001> why?',
          ts: '1700000500.000001',
          channel: CHANNEL,
          event_ts: '1700000500.000001',
        },
      },
    });
    const first = socket.send(mention(0));
    await socket.waitForAck(first);
    const retry = socket.send(mention(1));
    await socket.waitForAck(retry);
    await waitUntil(() => questions.length === 1);
    const dropped = logger.lines.filter(
      (l) =>
        l.message.startsWith('Slack delivered an envelope again') &&
        (l.data as { type?: string }).type === 'events_api',
    );
    assert.deepEqual(
      dropped.map((l) => l.data),
      [{ type: 'events_api', envelopeId: retry, retryNum: 1, retryReason: 'timeout' }],
    );
    assert.equal(questions.length, 1);
  });
});

describe('Socket Mode start-up and shutdown', () => {
  it("the socket client's reconnect retries do not leak into the listeners' Web client options", async () => {
    const slack = await startFakeSlackApi();
    try {
      // Bolt's SocketModeReceiver writes {retries: 100} into the App's own clientOptions when none is set.
      const edge = socketApp(slack, new ScriptedRemediationService(), APP_TOKEN, { retryConfig: undefined });
      assert.equal(edge.app.webClientOptions.retryConfig, undefined);
      assert.equal(edge.app.webClientOptions.slackApiUrl, slack.apiUrl);
    } finally {
      await slack.close();
    }
  });

  it('a wrong app token fails start with invalid_auth and opens no socket', async () => {
    const socket = await startFakeSocketMode();
    const slack = await startFakeSlackApi({ socketMode: socket });
    try {
      const edge = socketApp(slack, new ScriptedRemediationService(), 'xapp-wrong');
      await assert.rejects(edge.start(), /invalid_auth/);
      assert.equal(socket.accepted, 0);
      assert.deepEqual(
        slack.served('apps.connections.open').map((c) => c.token),
        ['xapp-wrong'],
      );
    } finally {
      await slack.close();
      await socket.close();
    }
  });

  it('stop closes the socket and does not reconnect', async () => {
    const socket = await startFakeSocketMode();
    const slack = await startFakeSlackApi({ socketMode: socket });
    try {
      const edge = socketApp(slack, new ScriptedRemediationService());
      await edge.start();
      assert.equal(socket.openConnections(), 1);
      await edge.stop();
      await waitUntil(() => socket.openConnections() === 0);
      assert.equal(socket.accepted, 1, 'no reconnect after a deliberate stop');
    } finally {
      await slack.close();
      await socket.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
