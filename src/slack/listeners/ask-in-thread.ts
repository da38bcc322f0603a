import { errorMessage } from '../blocks/index.ts';
import { callSlack, type SlackClient } from '../slack-api.ts';
import type { ListenerDeps, ThreadQuestion } from './listener-deps.ts';

/** Hands a thread question to orient's callback and posts the answer in the thread; errors go to the asker. */
export async function askInThread(
  deps: ListenerDeps,
  client: SlackClient,
  question: ThreadQuestion,
): Promise<void> {
  if (!deps.seen.firstTime(`question:${question.channel}:${question.ts}`)) return;
  try {
    const answer = await deps.onThreadQuestion(question);
    if (!answer) return;
    await deps.queue.send(question.channel, () =>
      callSlack(client, 'chat.postMessage', {
        channel: question.channel,
        thread_ts: question.threadTs,
        text: answer,
      }),
    );
  } catch (error) {
    deps.logger.error('thread question failed', {
      channel: question.channel,
      ts: question.ts,
      error: String(error),
    });
    await callSlack(client, 'chat.postEphemeral', {
      channel: question.channel,
      user: question.user,
      thread_ts: question.threadTs,
      ...errorMessage(
        'Belay could not answer your question.',
        error,
        'Ask again in a minute, or use `/remediate status`.',
      ),
    }).catch((e: unknown) => deps.logger.error('could not tell the user', { error: String(e) }));
  }
}
