import type { webApi } from '@slack/bolt';

/**
 * Every Web API method the edge calls, with the bot scopes it needs. All sends go through `callSlack`, so
 * this table is the list of what the code uses; the manifest test derives the app's scopes from it.
 */
export const METHOD_SCOPES = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'usergroups.users.list': ['usergroups:read'],
  // Finding Belay's own earlier post (by message metadata) when a restart lost the answer to it.
  'conversations.history': ['channels:history'],
  // Finding which storm thread lines a restart already posted (by message metadata).
  'conversations.replies': ['channels:history'],
} as const satisfies Record<string, readonly string[]>;
export type SlackMethod = keyof typeof METHOD_SCOPES;

/** The events the listeners subscribe to (manifest `bot_events`), with the scopes Slack requires for each. */
export const EVENT_SCOPES = {
  app_mention: ['app_mentions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
} as const satisfies Record<string, readonly string[]>;

/** Slash commands need `commands`; Bolt's own `auth.test` at start-up needs no scope. */
export const COMMAND_SCOPES = ['commands'] as const;

export function requiredBotScopes(): string[] {
  const all = [...Object.values(METHOD_SCOPES), ...Object.values(EVENT_SCOPES), COMMAND_SCOPES].flat();
  return [...new Set<string>(all)].sort();
}

export type SlackClient = Pick<webApi.WebClient, 'apiCall'>;

export function callSlack(
  client: SlackClient,
  method: SlackMethod,
  args: Record<string, unknown>,
): Promise<webApi.WebAPICallResult> {
  return client.apiCall(method, args);
}
