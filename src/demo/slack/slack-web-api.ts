import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackChannels } from './slack-channel.ts';
import { SlackFiles } from './slack-files.ts';

/** Where a `response_url` answer lands: the channel and person of the click or command that got it. */
export interface ResponseTarget {
  readonly channel: string;
  readonly user: string;
  /** The message a click came from: `replace_original` and `delete_original` act on it. */
  readonly messageTs?: string;
}

export interface SlackWebApiOptions {
  readonly channels: SlackChannels;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  /** The people of the workspace: user id → display name, for users.info. */
  readonly people: Readonly<Record<string, string>>;
  /** User groups and their members, for usergroups.users.list. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The response_url ids handed out with clicks and commands. */
  readonly responses: Map<string, ResponseTarget>;
  readonly files: SlackFiles;
  /** The playground's base URL, for upload URLs and file links. */
  readonly baseUrl: () => string;
}

// Fields that Slack's form-encoded calls carry as JSON strings.
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'files'];

/**
 * The Slack Web API Belay talks to through `slack.apiUrl`: the methods Belay calls (src/slack/slack-api.ts,
 * and Bolt's auth.test), answered with the shapes Slack documents and written into the playground's
 * channels, plus the `response_url` endpoint that clicks and commands reply through.
 */
export function createSlackWebApi(options: SlackWebApiOptions) {
  const { channels } = options;

  function answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? body.channel : '';
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'acme',
          user: 'belay',
          team_id: 'T0TEAM0001',
          user_id: options.botUserId,
          bot_id: options.botId,
        };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        if (threadTs && !channels.find(channel, threadTs)) return { ok: false, error: 'thread_not_found' };
        const posted = channels.post(channel, options.botUserId, body, threadTs ? { threadTs } : {});
        return {
          ok: true,
          channel,
          ts: posted.ts,
          message: { type: 'message', text: posted.text, ts: posted.ts },
        };
      }
      case 'chat.update': {
        const updated = channels.update(channel, String(body.ts ?? ''), body);
        return updated
          ? { ok: true, channel, ts: updated.ts, text: updated.text }
          : { ok: false, error: 'message_not_found' };
      }
      case 'chat.postEphemeral': {
        const user = typeof body.user === 'string' ? body.user : '';
        if (!channel || !(user in options.people)) return { ok: false, error: 'user_not_in_channel' };
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        const posted = channels.post(channel, options.botUserId, body, {
          ephemeralTo: user,
          ...(threadTs ? { threadTs } : {}),
        });
        return { ok: true, message_ts: posted.ts };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(body.length);
        if (typeof body.filename !== 'string' || body.filename === '')
          return { ok: false, error: 'invalid_arguments' };
        if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const file = options.files.reserve(body.filename, length);
        return { ok: true, upload_url: `${options.baseUrl()}/upload/${file.id}`, file_id: file.id };
      }
      case 'files.completeUploadExternal':
        return completeUpload(body);
      case 'usergroups.users.list': {
        const users = options.groups[String(body.usergroup)];
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'users.info': {
        const name = options.people[String(body.user)];
        return name
          ? { ok: true, user: { id: body.user, name: name.toLowerCase(), real_name: name } }
          : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.history': {
        // Top-level messages, newest first; metadata only when asked for, as the real API does.
        const limit = Number(body.limit ?? 100);
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
        const top = channels.list(channel).filter((m) => !m.threadTs && !m.ephemeralTo);
        const messages = top
          .slice()
          .reverse()
          .slice(0, limit)
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(m.user === options.botUserId ? { bot_id: options.botId } : { user: m.user }),
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: top.length > limit };
      }
      case 'conversations.replies': {
        const ts = String(body.ts ?? '');
        const thread = channels
          .list(channel)
          .filter((m) => !m.ephemeralTo && (m.ts === ts || m.threadTs === ts));
        return {
          ok: true,
          messages: thread.map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            user: m.user,
            thread_ts: ts,
          })),
          has_more: false,
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Shares uploaded files, in a channel (and thread) when one is named, as a message carrying them. */
  function completeUpload(body: Record<string, unknown>): Record<string, unknown> {
    const wanted = Array.isArray(body.files) ? (body.files as { id?: unknown; title?: unknown }[]) : [];
    const files = wanted.map((f) => options.files.get(String(f.id)));
    if (wanted.length === 0 || files.some((f) => !f?.bytes)) return { ok: false, error: 'file_not_found' };
    const shared = files.map((f, i) => {
      const file = f as NonNullable<typeof f>;
      const title = wanted[i]?.title;
      if (typeof title === 'string') file.title = title;
      return {
        id: file.id,
        name: file.name,
        title: file.title ?? file.name,
        mimetype: SlackFiles.typeOf(file.name),
        size: file.length,
        url_private: `${options.baseUrl()}/files/${file.id}`,
      };
    });
    const channel = typeof body.channel_id === 'string' ? body.channel_id : undefined;
    if (channel) {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      const text = typeof body.initial_comment === 'string' ? body.initial_comment : '';
      const posted = channels.post(channel, options.botUserId, { text }, threadTs ? { threadTs } : {});
      posted.files = shared;
    }
    return { ok: true, files: shared };
  }

  /** A reply to a click or command through its response_url, as Slack applies it. */
  function respond(target: ResponseTarget, body: Record<string, unknown>): Record<string, unknown> {
    const original = target.messageTs ? channels.find(target.channel, target.messageTs) : undefined;
    if (body.delete_original === true) {
      if (original) channels.remove(target.channel, original.ts);
      return { ok: true };
    }
    if (body.replace_original === true && original) {
      channels.update(target.channel, original.ts, body);
      return { ok: true };
    }
    if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
    const threadTs = original?.threadTs;
    channels.post(
      target.channel,
      options.botUserId,
      body,
      body.response_type === 'in_channel'
        ? { ...(threadTs ? { threadTs } : {}) }
        : { ephemeralTo: target.user, ...(threadTs ? { threadTs } : {}) },
    );
    return { ok: true };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path.startsWith('/files/')) {
      const file = options.files.get(path.slice('/files/'.length));
      if (!file?.bytes)
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
      return void res.writeHead(200, { 'content-type': SlackFiles.typeOf(file.name) }).end(file.bytes);
    }
    if (path.startsWith('/upload/')) {
      const raw = await readBytes(req);
      const problem = options.files.upload(
        path.slice('/upload/'.length),
        multipartFile(raw, String(req.headers['content-type'] ?? '')) ?? raw,
      );
      return void res.writeHead(problem ? 400 : 200, { 'content-type': 'text/plain' }).end(problem ?? 'OK');
    }
    const body = decode(await readBody(req), String(req.headers['content-type'] ?? ''));
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (path.startsWith('/response/')) {
      const target = options.responses.get(path.slice('/response/'.length));
      if (!target) return send(404, { ok: false, error: 'expired_url' });
      return send(200, respond(target, body));
    }
    const method = path.replace(/^\/api\//, '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : body.token;
    if (token !== options.botToken)
      return send(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    send(200, answer(method, body));
  };
}

/**
 * The file in a multipart/form-data upload (the WebClient's filesUploadV2 sends one part; Slack also takes
 * raw bytes). Undefined when the body is not multipart.
 */
export function multipartFile(raw: Buffer, contentType: string): Buffer | undefined {
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const start = raw.indexOf('\r\n\r\n', raw.indexOf(`--${boundary}`));
  const end = raw.indexOf(`\r\n--${boundary}`, start + 4);
  return start < 0 || end < 0 ? undefined : raw.subarray(start + 4, end);
}

export async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** A JSON body, or a form whose JSON-carrying fields are decoded; `{}` for what is neither. */
export function decode(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!JSON_FIELDS.includes(key)) body[key] = value;
    else {
      try {
        body[key] = JSON.parse(value);
      } catch {
        body[key] = value;
      }
    }
  }
  return body;
}
