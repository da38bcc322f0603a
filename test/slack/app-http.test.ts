import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { incidentMessage } from '../../src/slack/blocks/index.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/index.ts';
import type { ChannelMessage, ThreadQuestion } from '../../src/slack/listeners/index.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { ScriptedRemediationService } from '../fakes/remediation-service.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { NOW, needsApproval, proposal, view } from '../support/slack-fixtures.ts';
import { blockActionsPayload, slashCommandFields } from '../support/slack-payloads.ts';
import { postSignedForm, postSignedJson } from '../support/slack-signing.ts';

const SECRET = 'test-signing-secret';
const CHANNEL = 'C0INCIDENT';
const CARD_TS = '1700000000.000100';
const ALERT_BOT = 'B0ALERTMGR';

type Json = Record<string, unknown>;

describe('the Bolt app in HTTP mode, with signed requests and a fake Slack Web API', () => {
  let slack: FakeSlackApi;
  let service: ScriptedRemediationService;
  let edge: SlackApp;
  let url: string;
  const channelMessages: ChannelMessage[] = [];
  const questions: ThreadQuestion[] = [];
  let questionAnswer: string | undefined;
  let clicks = 0;

  before(async () => {
    slack = await startFakeSlackApi();
    service = new ScriptedRemediationService();
    edge = createSlackApp({
      mode: 'http',
      tokens: { botToken: 'xoxb-test-token', signingSecret: SECRET },
      slackApiUrl: slack.apiUrl,
      service,
      onChannelMessage: async (m) => {
        channelMessages.push(m);
      },
      onThreadQuestion: async (q) => {
        questions.push(q);
        return questionAnswer;
      },
      alertSources: { botIds: [ALERT_BOT], appIds: [] },
      replyWithoutMention: true,
      logger: recordingLogger(),
      clock: { now: () => NOW },
      retryConfig: { retries: 0 },
    });
    const { port } = await edge.start(0);
    url = `http://127.0.0.1:${port}/slack/events`;
  });
  after(async () => {
    await edge.stop();
    await slack.close();
  });
  beforeEach(() => {
    service.calls.length = 0;
    slack.calls.length = 0;
    channelMessages.length = 0;
    questions.length = 0;
    questionAnswer = undefined;
  });

  function click(actionId: string, value: string | undefined, user = 'U0DBA0001') {
    const card = incidentMessage(view({ proposal: proposal('proposed', needsApproval) }), NOW);
    const responseId = `click-${++clicks}`;
    const payload = blockActionsPayload({
      actionId,
      ...(value === undefined ? {} : { value }),
      user,
      channel: CHANNEL,
      messageTs: CARD_TS,
      responseUrl: slack.responseUrl(responseId),
      message: card,
      nth: clicks,
    });
    return {
      responseId,
      send: () => postSignedForm(url, { payload: JSON.stringify(payload) }, { signingSecret: SECRET }),
    };
  }

  function slash(text: string, signingSecret = SECRET, timestampSeconds?: number) {
    const responseId = `cmd-${++clicks}`;
    const fields = slashCommandFields({
      text,
      user: 'U0SRE0001',
      channel: CHANNEL,
      responseUrl: slack.responseUrl(responseId),
    });
    return {
      responseId,
      send: () =>
        postSignedForm(url, fields, { signingSecret, ...(timestampSeconds ? { timestampSeconds } : {}) }),
    };
  }

  function event(event: Json, headers: Record<string, string> = {}) {
    return postSignedJson(
      url,
      {
        token: 'legacy',
        team_id: 'T0TEAM0001',
        api_app_id: 'A0BELAY',
        type: 'event_callback',
        event_id: `Ev${event.ts}`,
        event_time: 1700000000,
        event,
        authorizations: [{ team_id: 'T0TEAM0001', user_id: 'UBELAY0001', is_bot: true }],
      },
      { signingSecret: SECRET, headers },
    );
  }

  it('an Approve click calls service.approve once with the proposal id and the clicker, and redraws the card', async () => {
    const done = proposal('succeeded', needsApproval, undefined, {
      outcome: { ok: true, message: 'postgres-0 evicted; 1/1 ready' },
    });
    service.clickResult = async () => ({ ok: true, message: 'Approved and done.', proposal: done });
    const response = await click('belay.approve', 'p-7f3a').send();
    assert.equal(response.status, 200);
    const [update] = await slack.waitFor('chat.update');
    assert.deepEqual(service.calls, [{ method: 'approve', proposalId: 'p-7f3a', user: 'U0DBA0001' }]);
    assert.equal(update?.body.channel, CHANNEL);
    assert.equal(update?.body.ts, CARD_TS);
    const blocks = JSON.stringify(update?.body.blocks);
    assert.match(blocks, /Done at 02:20 UTC: postgres-0 evicted/);
    assert.doesNotMatch(blocks, /belay\.approve/, 'no Approve button once it ran');
    assert.match(blocks, /Evidence/, 'the rest of the card is kept');
    assert.equal(
      slack.calls.filter((c) => c.method.startsWith('response_url')).length,
      0,
      'no ephemeral on success',
    );
  });

  it('a refused click tells the clicker why, ephemerally, and the card keeps its buttons', async () => {
    service.clickResult = async () => ({
      ok: false,
      message:
        'You may not approve this: only <@U0DBA0001> or <!subteam^S0ONCALL1> may approve in production-critical.',
      proposal: proposal('proposed', needsApproval),
    });
    const { responseId, send } = click('belay.approve', 'p-7f3a', 'U0INTERN1');
    await send();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    assert.equal(reply?.body.response_type, 'ephemeral');
    assert.equal(reply?.body.replace_original, false);
    assert.match(
      JSON.stringify(reply?.body.blocks),
      /only <@U0DBA0001> or <!subteam\^S0ONCALL1> may approve/,
    );
    const [update] = await slack.waitFor('chat.update');
    assert.match(JSON.stringify(update?.body.blocks), /belay\.approve/);
    assert.deepEqual(service.calls, [{ method: 'approve', proposalId: 'p-7f3a', user: 'U0INTERN1' }]);
  });

  it('a double click reaches the idempotent use-case twice and adds no side effect of its own', async () => {
    let approvals = 0;
    const done = proposal('succeeded', needsApproval);
    service.clickResult = async () =>
      ++approvals === 1
        ? { ok: true, message: 'Approved.', proposal: done }
        : { ok: false, message: 'Already approved by <@U0DBA0001>; nothing more to do.', proposal: done };
    const first = click('belay.approve', 'p-7f3a');
    const second = click('belay.approve', 'p-7f3a');
    await Promise.all([first.send(), second.send()]);
    await slack.waitFor('chat.update', 2);
    const ephemerals = slack.calls.filter((c) => c.method.startsWith('response_url'));
    assert.equal(service.calls.length, 2);
    assert.equal(ephemerals.length, 1, 'only the second clicker hears "already approved"');
    assert.equal(slack.served('chat.postMessage').length, 0);
  });

  it('Reject and Revert reach their use-cases', async () => {
    service.clickResult = async () => ({ ok: true, message: 'ok' });
    await click('belay.reject', 'p-1').send();
    await click('belay.revert', 'p-2').send();
    await waitUntil(() => service.calls.length === 2);
    assert.deepEqual(
      service.calls.map((c) => ('proposalId' in c ? [c.method, c.proposalId] : [])),
      [
        ['reject', 'p-1'],
        ['revert', 'p-2'],
      ],
    );
  });

  it('a button without a proper proposal id calls nothing and says so', async () => {
    const { responseId, send } = click('belay.approve', 'p-1; DROP TABLE');
    await send();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    assert.match(JSON.stringify(reply?.body), /does not carry a proposal Belay knows/);
    assert.deepEqual(service.calls, []);
  });

  it('an error in the use-case reaches the clicker as an ephemeral with what, why and next', async () => {
    service.clickResult = async () => {
      throw new Error('state store is read-only');
    };
    const { responseId, send } = click('belay.approve', 'p-7f3a');
    await send();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    const text = JSON.stringify(reply?.body.blocks);
    assert.match(text, /could not approve proposal p-7f3a/);
    assert.match(text, /Why:\* state store is read-only/);
    assert.match(text, /Next:\*/);
  });

  it('rejects a badly signed request, a replayed one and one stamped in the future, and calls nothing', async () => {
    const control = await click('belay.approve', 'p-7f3a').send();
    assert.equal(control.status, 200, 'control: a properly signed request is accepted');
    service.calls.length = 0;
    const badly = await slash('status', 'not-the-secret').send();
    assert.equal(badly.status, 401);
    const replayed = await slash('status', SECRET, Math.floor(Date.now() / 1000) - 10 * 60).send();
    assert.equal(replayed.status, 401);
    // Signed, but stamped ten minutes ahead: replayable for the next quarter hour unless refused now.
    const future = await slash('status', SECRET, Math.floor(Date.now() / 1000) + 10 * 60).send();
    assert.equal(future.status, 401);
    const unsigned = await fetch(url, { method: 'POST', body: 'command=%2Fremediate&text=pause' });
    assert.ok(unsigned.status >= 400);
    await edge.queue.drain();
    assert.deepEqual(
      service.calls.filter((c) => c.method === 'status' || c.method === 'setPause'),
      [],
    );
    // Control, answered in the ack and calling nothing: a minute of clock skew is within Slack's five.
    const skewed = await slash('no-such-subcommand', SECRET, Math.floor(Date.now() / 1000) + 60).send();
    assert.equal(skewed.status, 200);
  });

  it('an unknown subcommand answers help in the ack, calling nothing', async () => {
    const started = Date.now();
    const response = await slash('restart everything').send();
    assert.ok(Date.now() - started < 3_000);
    const body = (await response.json()) as Json;
    assert.equal(body.response_type, 'ephemeral');
    assert.match(JSON.stringify(body.blocks), /not a \/remediate subcommand/);
    assert.match(JSON.stringify(body.blocks), /\/remediate status/);
    assert.deepEqual(service.calls, []);
  });

  it('bad input is answered in the ack with what to type instead', async () => {
    const response = await slash('propose scale shop/deployment/web').send();
    const body = (await response.json()) as Json;
    assert.match(JSON.stringify(body), /Say how many replicas/);
    assert.deepEqual(service.calls, []);
  });

  it('every command acks within 3 s even while its use-case is still working', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = service.status.bind(service);
    service.status = async () => {
      await held;
      return original();
    };
    for (const text of [
      'status',
      'windows',
      'audit last 5',
      'pause',
      'resume',
      'freeze on breach for 1h',
      'propose restart-pod shop/web',
      'explain restart-pod shop/web',
    ]) {
      const started = Date.now();
      const response = await slash(text).send();
      assert.equal(response.status, 200, text);
      assert.ok(Date.now() - started < 3_000, `${text} acked in ${Date.now() - started} ms`);
    }
    const { responseId, send } = slash('status');
    await send();
    release();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    assert.match(String(reply?.body.text), /0 open incidents/);
    service.status = original;
  });

  it('commands reach their use-cases with the right arguments; freeze is told to the channel', async () => {
    const { responseId, send } = slash('freeze on suspected breach for 2h');
    await send();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    assert.equal(reply?.body.response_type, 'in_channel');
    const propose = slash('propose restart-pod databases/postgres-0');
    await propose.send();
    await slack.waitFor(`response_url:${propose.responseId}`);
    assert.deepEqual(service.calls, [
      {
        method: 'setFreeze',
        change: { on: true, user: 'U0SRE0001', reason: 'suspected breach', forMs: 7_200_000 },
      },
      {
        method: 'propose',
        request: {
          request: {
            kind: 'restart-pod',
            target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
          },
          user: 'U0SRE0001',
          channel: CHANNEL,
        },
      },
    ]);
  });

  it('a command whose use-case throws answers with an ephemeral error', async () => {
    const original = service.audit.bind(service);
    service.audit = async () => {
      throw new Error('audit log unreadable');
    };
    const { responseId, send } = slash('audit last 3');
    await send();
    const [reply] = await slack.waitFor(`response_url:${responseId}`);
    assert.equal(reply?.body.response_type, 'ephemeral');
    assert.match(JSON.stringify(reply?.body.blocks), /did not complete.*audit log unreadable/);
    service.audit = original;
  });

  it('an alert posted by a configured bot goes to intake once, even when Slack retries the event', async () => {
    const alert = {
      type: 'message',
      channel: CHANNEL,
      ts: '1700000100.000001',
      bot_id: ALERT_BOT,
      text: '[FIRING:1] PodMemoryHigh',
      attachments: [{ title: '[FIRING:1] PodMemoryHigh' }],
    };
    assert.equal((await event(alert)).status, 200);
    assert.equal(
      (await event(alert, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status,
      200,
    );
    const sentinel = { ...alert, ts: '1700000100.000009' };
    await event(sentinel);
    await waitUntil(() => channelMessages.length >= 2);
    assert.deepEqual(
      channelMessages.map((m) => m.ts),
      [alert.ts, sentinel.ts],
    );
    assert.equal(channelMessages[0]?.botId, ALERT_BOT);
    assert.deepEqual(channelMessages[0]?.attachments, alert.attachments);
  });

  it('ignores bot messages from sources not configured, and edits', async () => {
    await event({
      type: 'message',
      channel: CHANNEL,
      ts: '1700000200.000001',
      bot_id: 'B0RANDOM',
      text: 'hi',
    });
    await event({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts: '1700000200.000002',
      hidden: true,
      message: {},
      previous_message: {},
    });
    await event({
      type: 'message',
      channel: CHANNEL,
      ts: '1700000200.000009',
      bot_id: ALERT_BOT,
      text: 'sentinel',
    });
    await waitUntil(() => channelMessages.length >= 1);
    assert.deepEqual(
      channelMessages.map((m) => m.text),
      ['sentinel'],
    );
  });

  it('a mention in an incident thread is asked once and the answer goes to the thread', async () => {
    questionAnswer = 'postgres-0 is inside its backup window until 02:45 UTC.';
    const mention = {
      type: 'app_mention',
      user: 'U0SRE0001',
      text: '<@UBELAY0001> why not restart?',
      ts: '1700000300.000002',
      thread_ts: CARD_TS,
      channel: CHANNEL,
      event_ts: '1700000300.000002',
    };
    await event(mention);
    await event({ ...mention, type: 'message', channel_type: 'channel' });
    const [posted] = await slack.waitFor('chat.postMessage');
    assert.equal(posted?.body.thread_ts, CARD_TS);
    assert.equal(posted?.body.text, questionAnswer);
    assert.equal(questions.length, 1);
    assert.deepEqual(questions[0], {
      channel: CHANNEL,
      threadTs: CARD_TS,
      ts: '1700000300.000002',
      user: 'U0SRE0001',
      text: '<@UBELAY0001> why not restart?',
    });
  });

  it('a failing question callback reaches the asker as an ephemeral', async () => {
    const failing = createSlackApp({
      mode: 'http',
      tokens: { botToken: 'xoxb-test-token', signingSecret: SECRET },
      slackApiUrl: slack.apiUrl,
      service,
      onChannelMessage: async () => undefined,
      onThreadQuestion: async () => {
        throw new Error('model endpoint unreachable');
      },
      logger: recordingLogger(),
      clock: { now: () => NOW },
    });
    const { port } = await failing.start(0);
    try {
      await postSignedJson(
        `http://127.0.0.1:${port}/slack/events`,
        {
          type: 'event_callback',
          team_id: 'T0TEAM0001',
          api_app_id: 'A0BELAY',
          event_id: 'Ev9',
          event_time: 1,
          event: {
            type: 'app_mention',
            user: 'U0SRE0001',
            text: 'why?',
            ts: '1700000400.000001',
            channel: CHANNEL,
            event_ts: '1700000400.000001',
          },
        },
        { signingSecret: SECRET },
      );
      const [ephemeral] = await slack.waitFor('chat.postEphemeral');
      assert.equal(ephemeral?.body.user, 'U0SRE0001');
      assert.match(
        JSON.stringify(ephemeral?.body.blocks),
        /could not answer your question.*model endpoint unreachable/,
      );
    } finally {
      await failing.stop();
    }
  });
});

describe('createSlackApp refuses to start half-configured', () => {
  const base = {
    service: new ScriptedRemediationService(),
    onChannelMessage: async () => undefined,
    onThreadQuestion: async () => undefined,
    logger: recordingLogger(),
    clock: { now: () => NOW },
  };
  it('says what to set for each mode', () => {
    assert.throws(
      () => createSlackApp({ ...base, mode: 'socket', tokens: { botToken: 'xoxb-1' } }),
      /SLACK_APP_TOKEN/,
    );
    assert.throws(
      () => createSlackApp({ ...base, mode: 'http', tokens: { botToken: 'xoxb-1' } }),
      /SLACK_SIGNING_SECRET/,
    );
  });

  it('fails at start when the bot token is wrong', async () => {
    const slack = await startFakeSlackApi();
    const edge = createSlackApp({
      ...base,
      mode: 'http',
      tokens: { botToken: 'xoxb-wrong', signingSecret: SECRET },
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    try {
      await assert.rejects(edge.start(0), /invalid_auth/);
    } finally {
      await slack.close();
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
