import type { types } from '@slack/bolt';
import type { UseCaseResult } from '../../govern/service.ts';
import { errorMessage, refreshCard, resultMessage } from '../blocks/index.ts';
import { callSlack, type SlackClient } from '../slack-api.ts';
import type { ListenerDeps } from './listener-deps.ts';

export type ClickVerb = 'approve' | 'reject' | 'revert';

export interface Click {
  readonly proposalId: string | undefined;
  readonly user: string;
  readonly channel?: string;
  readonly messageTs?: string;
  readonly messageText?: string;
  readonly blocks?: readonly types.KnownBlock[];
  readonly respond: (message: Record<string, unknown>) => Promise<unknown>;
  readonly client: SlackClient;
}

const PROPOSAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/**
 * A click on Approve, Reject or Revert: one use-case call with the proposal id and the clicker. The use-case
 * re-checks who clicked and re-runs policy; the edge only redraws the card and tells the clicker when the
 * answer is no. A double click reaches the use-case twice and its idempotency answers the second one.
 */
export async function handleProposalClick(deps: ListenerDeps, verb: ClickVerb, click: Click): Promise<void> {
  const ephemeral = (message: { text: string; blocks: unknown[] }) =>
    click.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  if (!click.proposalId || !PROPOSAL_ID.test(click.proposalId)) {
    await ephemeral(
      resultMessage({
        ok: false,
        message:
          'This button does not carry a proposal Belay knows, so nothing was done. Use the buttons on the incident card, or `/remediate status`.',
      }),
    );
    return;
  }
  let result: UseCaseResult;
  try {
    result = await deps.service[verb](click.proposalId, click.user);
  } catch (error) {
    deps.logger.error(`${verb} failed`, {
      proposalId: click.proposalId,
      user: click.user,
      error: String(error),
    });
    await ephemeral(
      errorMessage(
        `Belay could not ${verb} proposal ${click.proposalId}.`,
        error,
        'Check the incident thread or `/remediate audit` to see where it stands before you click again.',
      ),
    );
    return;
  }
  if (!result.ok) await ephemeral(resultMessage(result));
  const { channel, messageTs, blocks } = click;
  if (result.proposal && channel && messageTs && blocks) {
    const refreshed = refreshCard(blocks, result.proposal, deps.clock.now());
    await deps.queue
      .send(channel, () =>
        callSlack(click.client, 'chat.update', {
          channel,
          ts: messageTs,
          text: click.messageText ?? result.message,
          blocks: refreshed,
        }),
      )
      .catch((error: unknown) => {
        deps.logger.error('could not redraw the incident card', {
          proposalId: result.proposal?.id,
          incidentId: result.proposal?.incidentId,
          channel,
          messageTs,
          error: String(error),
        });
        return ephemeral(
          errorMessage(
            `${result.message} The incident card could not be redrawn.`,
            error,
            'The thread has the latest state; the card catches up on the next update.',
          ),
        );
      });
  }
}
