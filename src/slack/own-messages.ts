import { callSlack, type SlackClient } from './slack-api.ts';

/**
 * The ts of Belay's own newest top-level post in a channel's recent history whose metadata (of
 * `eventType`) matches: how a send whose answer was lost finds what it posted, so it is not posted twice.
 */
export async function findOwnPost(
  client: SlackClient,
  request: {
    readonly channel: string;
    readonly eventType: string;
    readonly matches: (payload: Record<string, unknown>) => boolean;
    /** Only posts newer than this (Unix seconds); absent: the last 200 messages. */
    readonly oldest?: number;
  },
): Promise<string | undefined> {
  const history = (await callSlack(client, 'conversations.history', {
    channel: request.channel,
    include_all_metadata: true,
    limit: 200,
    ...(request.oldest === undefined ? {} : { oldest: String(request.oldest) }),
  })) as {
    messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[];
  };
  return history.messages?.find(
    (m) =>
      m.metadata?.event_type === request.eventType &&
      m.metadata.event_payload !== undefined &&
      request.matches(m.metadata.event_payload),
  )?.ts;
}
