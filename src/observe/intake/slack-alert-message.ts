import type { Alert } from '../../domain/index.ts';
import { parseAlertmanagerSlackMessage } from './alertmanager-slack-message.ts';
import { parsePagerDutySlackMessage } from './pagerduty-slack-message.ts';
import { type SlackMessage, slackMessageSchema } from './slack-message.ts';

/** A bot or app whose channel messages are alerts; its ids are captured once from a real message. */
export interface SlackAlertSource {
  readonly kind: 'alertmanager' | 'pagerduty';
  /** `bot_id` of the messages (webhook-posted messages carry only this). */
  readonly botIds?: readonly string[];
  /** `bot_profile.app_id` / `app_id` of the messages. */
  readonly appIds?: readonly string[];
  /** Alertmanager default template only: the route's group_by. */
  readonly groupBy?: readonly string[];
  /** Labels every alert from this source carries, such as the cluster or namespace a channel is about. */
  readonly labels?: Readonly<Record<string, string>>;
}

export type SlackAlertResult =
  | { readonly kind: 'alerts'; readonly source: SlackAlertSource; readonly alerts: Alert[] }
  | { readonly kind: 'not-an-alert'; readonly reason: string };

/**
 * A Slack `message` event → the alerts it carries, when a configured alert source posted it in a shape
 * Belay knows. Edits (`message_changed`, which Alertmanager's `update_message` produces) are read from
 * their new message.
 */
export function parseSlackAlertMessage(
  event: unknown,
  sources: readonly SlackAlertSource[],
  receivedAt: Date,
): SlackAlertResult {
  const message = unwrap(event);
  if (!message) return { kind: 'not-an-alert', reason: 'not a Slack message event Belay can read' };
  const source = sources.find((s) => postedBy(message, s));
  if (!source) return { kind: 'not-an-alert', reason: 'not posted by a configured alert source' };
  const labels = source.labels ?? {};
  const alerts =
    source.kind === 'alertmanager'
      ? parseAlertmanagerSlackMessage(
          message,
          { labels, ...(source.groupBy ? { groupBy: source.groupBy } : {}) },
          receivedAt,
        )
      : [parsePagerDutySlackMessage(message, labels, receivedAt)].filter((a): a is Alert => a !== undefined);
  if (!alerts || alerts.length === 0)
    return {
      kind: 'not-an-alert',
      reason: `posted by the ${source.kind} source but not in a shape Belay recognises`,
    };
  return { kind: 'alerts', source, alerts };
}

function unwrap(event: unknown): SlackMessage | undefined {
  const direct = slackMessageSchema.safeParse(event);
  if (!direct.success) return undefined;
  if (direct.data.subtype === 'message_changed') {
    const inner = (event as { message?: unknown }).message;
    const edited = slackMessageSchema.safeParse(
      inner && typeof inner === 'object' ? { ...inner, channel: direct.data.channel } : undefined,
    );
    return edited.success ? edited.data : undefined;
  }
  if (direct.data.subtype && direct.data.subtype !== 'bot_message') return undefined;
  return direct.data;
}

function postedBy(message: SlackMessage, source: SlackAlertSource): boolean {
  const appId = message.bot_profile?.app_id ?? message.app_id;
  const botId = message.bot_id ?? message.bot_profile?.id;
  return (
    (botId !== undefined && (source.botIds ?? []).includes(botId)) ||
    (appId !== undefined && (source.appIds ?? []).includes(appId))
  );
}
