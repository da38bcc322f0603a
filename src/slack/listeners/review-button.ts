import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, resultMessage } from '../blocks/index.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** 👍 or 👎 on a dry-run rule's would-have action: ack at once, one use-case call, the answer to the clicker. */
export function reviewButton(deps: ListenerDeps, approve: boolean) {
  return async (
    args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs,
  ): Promise<void> => {
    await args.ack();
    const reviewId = args.action.value ?? '';
    const user = args.body.user.id;
    const tell = (m: { text: string; blocks: unknown[] }) =>
      args.respond({ response_type: 'ephemeral', replace_original: false, ...m });
    if (!deps.service.reviewDryRun) {
      await tell(
        resultMessage({
          ok: false,
          message: 'This Belay does not keep dry-run reviews; nothing was recorded.',
        }),
      );
      return;
    }
    try {
      await tell(resultMessage(await deps.service.reviewDryRun(reviewId, user, approve)));
    } catch (error) {
      deps.logger.error('dry-run review failed', { reviewId, user, error: String(error) });
      await tell(
        errorMessage(
          'Belay could not record your answer.',
          error,
          'Click again in a minute; `/remediate audit` shows whether it was recorded.',
        ),
      );
    }
  };
}
