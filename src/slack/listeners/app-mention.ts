import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { askInThread } from './ask-in-thread.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** `@belay why is postgres-0 restarting?`: a question, answered in the thread it was asked in. */
export function appMention(deps: ListenerDeps) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    if (!event.user || event.bot_id) return;
    await askInThread(deps, client, {
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      ts: event.ts,
      user: event.user,
      text: event.text,
    });
  };
}
