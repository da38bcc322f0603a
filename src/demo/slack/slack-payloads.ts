// The interaction and command payloads Slack sends, built once for the playground's Slack and the HTTP,
// Socket Mode and e2e tests.

export interface ButtonClick {
  readonly actionId: string;
  /** The proposal id the button carries; absent to test a button without one. */
  readonly value?: string;
  readonly user: string;
  readonly channel: string;
  readonly messageTs: string;
  readonly responseUrl: string;
  readonly message?: { readonly text: string; readonly blocks: readonly unknown[] };
  /** Distinguishes otherwise identical clicks (Slack gives each its own trigger and action timestamp). */
  readonly nth?: number;
}

/** A `block_actions` payload for a click on one of Belay's buttons. */
export function blockActionsPayload(click: ButtonClick) {
  const n = click.nth ?? 0;
  return {
    type: 'block_actions',
    api_app_id: 'A0BELAY',
    trigger_id: `123.456.${n}`,
    team: { id: 'T0TEAM0001', domain: 'acme' },
    user: {
      id: click.user,
      username: click.user.toLowerCase(),
      name: click.user.toLowerCase(),
      team_id: 'T0TEAM0001',
    },
    container: {
      type: 'message',
      message_ts: click.messageTs,
      channel_id: click.channel,
      is_ephemeral: false,
    },
    channel: { id: click.channel, name: 'incidents' },
    message: {
      type: 'message',
      ts: click.messageTs,
      bot_id: 'BBELAY0001',
      text: click.message?.text ?? 'incident',
      blocks: click.message?.blocks ?? [],
    },
    response_url: click.responseUrl,
    state: { values: {} },
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: 'belay.controls',
        ...(click.value === undefined ? {} : { value: click.value }),
        text: { type: 'plain_text', text: click.actionId },
        action_ts: `1700000001.${String(200 + n).padStart(6, '0')}`,
      },
    ],
  };
}

/** The form fields of a `/remediate` slash command. */
export function slashCommandFields(command: {
  text: string;
  user: string;
  channel: string;
  responseUrl: string;
}) {
  return {
    command: '/remediate',
    text: command.text,
    response_url: command.responseUrl,
    trigger_id: '1.2.3',
    user_id: command.user,
    user_name: command.user.toLowerCase(),
    team_id: 'T0TEAM0001',
    team_domain: 'acme',
    channel_id: command.channel,
    channel_name: 'incidents',
    api_app_id: 'A0BELAY',
  };
}
