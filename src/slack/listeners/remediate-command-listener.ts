import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage, helpMessage, resultMessage } from '../blocks/index.ts';
import { parseRemediateCommand } from '../remediate-command.ts';
import { runCommand } from '../run-command.ts';
import type { ListenerDeps } from './listener-deps.ts';

/**
 * `/remediate`: answers help and bad input in the ack itself; for anything else acks at once (Slack's 3 s)
 * and answers through response_url when the use-case returns.
 */
export function remediateCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseRemediateCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...resultMessage({ ok: false, message: parsed.message }) });
      return;
    }
    if (parsed.command.type === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage(parsed.command.note) });
      return;
    }
    await ack();
    try {
      const reply = await runCommand(deps.service, parsed.command, {
        user: command.user_id,
        channel: command.channel_id,
        now: deps.clock.now(),
      });
      await respond({ response_type: reply.responseType, text: reply.text, blocks: reply.blocks });
    } catch (error) {
      deps.logger.error('/remediate failed', {
        text: command.text,
        user: command.user_id,
        error: String(error),
      });
      await respond({
        response_type: 'ephemeral',
        ...errorMessage(
          `/remediate ${parsed.command.type} did not complete.`,
          error,
          "Nothing was changed by this command unless `/remediate status` says otherwise; try again, and if it keeps failing check Belay's log.",
        ),
      }).catch((e: unknown) => deps.logger.error('could not tell the user', { error: String(e) }));
    }
  };
}
