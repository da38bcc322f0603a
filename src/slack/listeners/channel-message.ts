import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../blocks/index.ts';
import { callSlack } from '../slack-api.ts';
import { askInThread } from './ask-in-thread.ts';
import type { ChannelMessage, ListenerDeps } from './listener-deps.ts';

/**
 * Channel messages: an alert another tool posted (from a configured bot or app) goes to intake; a person's
 * reply in a thread goes to the question callback when replies without a mention are on. Edits, deletions
 * and joins are not alerts or questions.
 */
export function channelMessage(deps: ListenerDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    if (event.subtype !== undefined && event.subtype !== 'bot_message') return;
    const botId = 'bot_id' in event ? event.bot_id : undefined;
    if (botId) {
      const appId = 'bot_profile' in event ? event.bot_profile?.app_id : undefined;
      const fromAlertSource =
        deps.alertSources.botIds.includes(botId) ||
        (appId !== undefined && deps.alertSources.appIds.includes(appId));
      if (!fromAlertSource || !deps.seen.firstTime(`alert:${event.channel}:${event.ts}`)) return;
      const message: ChannelMessage = {
        channel: event.channel,
        ts: event.ts,
        botId,
        ...(appId ? { appId } : {}),
        ...('bot_profile' in event && event.bot_profile?.name ? { botName: event.bot_profile.name } : {}),
        ...('username' in event && event.username ? { username: event.username } : {}),
        ...(event.text ? { text: event.text } : {}),
        ...('attachments' in event && event.attachments ? { attachments: event.attachments } : {}),
        ...('blocks' in event && event.blocks ? { blocks: event.blocks } : {}),
      };
      try {
        await deps.onChannelMessage(message);
      } catch (error) {
        deps.logger.error('alert message not taken in', {
          channel: event.channel,
          ts: event.ts,
          error: String(error),
        });
        // Nobody clicked anything, so the channel hears it, in the alert's own thread.
        await deps.queue
          .send(event.channel, () =>
            callSlack(client, 'chat.postMessage', {
              channel: event.channel,
              thread_ts: event.ts,
              ...errorMessage(
                'Belay could not take this alert in.',
                error,
                'Handle it by hand; Belay also reads the Alertmanager webhook if one is configured.',
              ),
            }),
          )
          .catch((e: unknown) => deps.logger.error('could not tell the channel', { error: String(e) }));
      }
      return;
    }
    if (!deps.replyWithoutMention || !('user' in event) || !event.user) return;
    const threadTs = 'thread_ts' in event ? event.thread_ts : undefined;
    if (!threadTs || threadTs === event.ts) return;
    // A mention is answered by the app_mention listener; answering here too would answer twice.
    if (context.botUserId && event.text?.includes(`<@${context.botUserId}>`)) return;
    await askInThread(deps, client, {
      channel: event.channel,
      threadTs,
      ts: event.ts,
      user: event.user,
      text: event.text ?? '',
    });
  };
}
