import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  types,
} from '@slack/bolt';
import { type ClickVerb, handleProposalClick } from './handle-proposal-click.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** Approve, Reject or Revert: ack at once (Slack's 3 s), then one use-case call with the proposal id and the clicker. */
export function proposalButton(deps: ListenerDeps, verb: ClickVerb) {
  return async (
    args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs,
  ): Promise<void> => {
    await args.ack();
    const { body, action } = args;
    await handleProposalClick(deps, verb, {
      proposalId: action.value,
      user: body.user.id,
      channel: body.channel?.id ?? (body.container.channel_id as string | undefined),
      messageTs: body.message?.ts ?? (body.container.message_ts as string | undefined),
      messageText: body.message?.text,
      blocks: body.message?.blocks as types.KnownBlock[] | undefined,
      respond: (message) => args.respond(message),
      client: args.client,
    });
  };
}
