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
  // What a restart already posted in a thread (storm lines by metadata, graphs by file name).
  'conversations.replies': ['channels:history'],
  // The incident's graph: the WebClient's filesUploadV2 asks for an upload URL, sends the PNG there, then
  // completes the upload into the thread (uploadToThread below).
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
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

export type SlackFilesClient = Pick<webApi.WebClient, 'filesUploadV2'>;

/** A file Slack shows in a thread: its id and the link a message can point at. */
export interface UploadedFile {
  readonly id: string;
  readonly permalink?: string;
}

/**
 * One file into a thread through Slack's external upload flow (files.getUploadURLExternal, the upload to
 * the URL it returns, files.completeUploadExternal), as the WebClient's filesUploadV2 runs it.
 */
export async function uploadToThread(
  client: SlackFilesClient,
  upload: {
    readonly channel: string;
    readonly threadTs: string;
    readonly filename: string;
    readonly title: string;
    readonly altText: string;
    readonly data: Buffer;
  },
): Promise<UploadedFile> {
  const result = (await client.filesUploadV2({
    channel_id: upload.channel,
    thread_ts: upload.threadTs,
    file: upload.data,
    filename: upload.filename,
    title: upload.title,
    alt_text: upload.altText,
  })) as { files?: { files?: { id?: string; permalink?: string }[] }[] };
  const file = result.files?.[0]?.files?.[0];
  if (!file?.id) throw new Error('Slack completed the upload but named no file');
  return { id: file.id, ...(file.permalink ? { permalink: file.permalink } : {}) };
}
