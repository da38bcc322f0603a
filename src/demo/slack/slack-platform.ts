import type { SlackChannels } from './slack-channel.ts';
import { blockActionsPayload, slashCommandFields } from './slack-payloads.ts';
import { postSignedForm } from './slack-signing.ts';
import type { ResponseTarget } from './slack-web-api.ts';

export interface SlackPlatformOptions {
  readonly channels: SlackChannels;
  readonly signingSecret: string;
  /** Belay's Slack endpoint (HTTP mode): /slack/events. */
  readonly eventsUrl: () => string;
  /** The base of response_url links, on the playground's Slack (…/response/<id>). */
  readonly responseBase: () => string;
  readonly responses: Map<string, ResponseTarget>;
  readonly people: Readonly<Record<string, string>>;
  readonly botUserId: string;
}

/** What the playground tells the person who clicked or typed, when it is not Belay's to say. */
export type Sent = { readonly ok: true } | { readonly ok: false; readonly error: string };

interface ButtonBlock {
  readonly type?: string;
  readonly elements?: readonly { readonly action_id?: string; readonly value?: string }[];
}

/**
 * Slack's side of a click or a slash command: it signs the request with the app's signing secret and POSTs
 * it to Belay's /slack/events, hands out a response_url, and shows an immediate (ack) answer to the one
 * person who sent it, as Slack does.
 */
export function createSlackPlatform(options: SlackPlatformOptions) {
  const { channels } = options;
  let sent = 0;

  function newResponseUrl(target: ResponseTarget): string {
    const id = `r${++sent}-${Math.random().toString(36).slice(2, 10)}`;
    options.responses.set(id, target);
    return `${options.responseBase()}/response/${id}`;
  }

  /** The HTTP answer of Belay to a signed request: a non-empty 200 body is an immediate reply. */
  async function deliver(
    fields: Record<string, string>,
    target: ResponseTarget,
    what: string,
  ): Promise<Sent> {
    let response: Response;
    try {
      response = await postSignedForm(options.eventsUrl(), fields, { signingSecret: options.signingSecret });
    } catch (error) {
      return {
        ok: false,
        error: `Belay did not answer the ${what}: ${String(error)}. Is the demo still running?`,
      };
    }
    const text = await response.text();
    if (response.status !== 200)
      return {
        ok: false,
        error: `Belay answered the ${what} with HTTP ${response.status}: ${text.slice(0, 200)}`,
      };
    if (text.trim() !== '') {
      const body = parseJson(text);
      // Slack shows a plain-text ack as an ephemeral message too.
      const reply = body ?? { text };
      channels.post(target.channel, options.botUserId, reply, {
        ...(reply.response_type === 'in_channel' ? {} : { ephemeralTo: target.user }),
      });
    }
    return { ok: true };
  }

  return {
    /** A click on a button of a message in the channel, by `user`, as a block_actions interaction. */
    async click(input: {
      channel: string;
      messageTs: string;
      actionId: string;
      user: string;
    }): Promise<Sent> {
      if (!(input.user in options.people)) return { ok: false, error: `unknown user ${input.user}` };
      const message = channels.find(input.channel, input.messageTs);
      if (!message) return { ok: false, error: 'that message is gone; it may have been replaced' };
      const button = (message.blocks ?? [])
        .flatMap((b) => ((b as ButtonBlock).type === 'actions' ? ((b as ButtonBlock).elements ?? []) : []))
        .find((e) => e.action_id === input.actionId);
      if (!button) return { ok: false, error: `the message has no ${input.actionId} button (any more)` };
      const target: ResponseTarget = { channel: input.channel, user: input.user, messageTs: message.ts };
      const payload = blockActionsPayload({
        actionId: input.actionId,
        ...(button.value === undefined ? {} : { value: button.value }),
        user: input.user,
        channel: input.channel,
        messageTs: message.ts,
        responseUrl: newResponseUrl(target),
        message: { text: message.text, blocks: message.blocks ?? [] },
        nth: sent,
      });
      return deliver({ payload: JSON.stringify(payload) }, target, 'click');
    },

    /** `/remediate <text>` typed by `user` in `channel`. */
    async command(input: { channel: string; text: string; user: string }): Promise<Sent> {
      if (!(input.user in options.people)) return { ok: false, error: `unknown user ${input.user}` };
      const target: ResponseTarget = { channel: input.channel, user: input.user };
      const fields = slashCommandFields({
        text: input.text,
        user: input.user,
        channel: input.channel,
        responseUrl: newResponseUrl(target),
      });
      return deliver(fields, target, '/remediate command');
    },
  };
}

export type SlackPlatform = ReturnType<typeof createSlackPlatform>;

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
