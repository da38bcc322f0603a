import type { GraphReference } from './blocks/graph-reference.ts';
import { callSlack, type SlackClient, type SlackFilesClient, uploadToThread } from './slack-api.ts';

/** A graph as the outbox keeps it: the PNG as base64, so a restart still sends it. */
export interface OutboxFile {
  readonly filename: string;
  readonly title: string;
  readonly altText: string;
  readonly pngBase64: string;
}

/**
 * The graph into a thread, once. A send resumed after a restart may have landed with its answer lost: its
 * file name carries the outbox id, so the thread is asked first, and a file already there is not sent again.
 */
export async function uploadGraph(
  clients: { readonly client: SlackClient; readonly files: SlackFilesClient },
  upload: {
    readonly channel: string;
    readonly threadTs: string;
    readonly file: OutboxFile;
    readonly resumed: boolean;
  },
): Promise<GraphReference> {
  const { channel, threadTs, file } = upload;
  const uploaded =
    (upload.resumed ? await findFile(clients.client, channel, threadTs, file.filename) : undefined) ??
    (await uploadToThread(clients.files, {
      channel,
      threadTs,
      filename: file.filename,
      title: file.title,
      altText: file.altText,
      data: Buffer.from(file.pngBase64, 'base64'),
    }));
  return {
    fileId: uploaded.id,
    title: file.title,
    ...(uploaded.permalink ? { permalink: uploaded.permalink } : {}),
  };
}

/** A file of this name already in the thread. */
async function findFile(client: SlackClient, channel: string, threadTs: string, name: string) {
  const replies = (await callSlack(client, 'conversations.replies', {
    channel,
    ts: threadTs,
    limit: 200,
  })) as {
    messages?: { files?: { id?: string; name?: string; permalink?: string }[] }[];
  };
  const found = replies.messages?.flatMap((m) => m.files ?? []).find((f) => f.name === name && f.id);
  return found?.id ? { id: found.id, ...(found.permalink ? { permalink: found.permalink } : {}) } : undefined;
}
