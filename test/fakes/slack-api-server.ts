import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from './loopback.ts';
import type { FakeSocketMode } from './slack-socket-mode.ts';

/** One call the fake received: the Web API method (or `response_url` hit) and its decoded body. */
export interface RecordedCall {
  readonly method: string;
  /** Form fields and JSON bodies, with JSON-encoded fields (`blocks`, `attachments`) decoded. */
  readonly body: Record<string, unknown>;
  readonly token?: string;
  /** HTTP status the fake answered with. */
  readonly status: number;
  /** What the fake answered, for a Web API call it served (a posted message's `ts`, say). */
  readonly response?: Record<string, unknown>;
}

export interface FakeSlackApi {
  /** Base URL for `clientOptions.slackApiUrl`, with the trailing slash the WebClient expects. */
  readonly apiUrl: string;
  /** A `response_url` that lands on this fake (recorded as method `response_url:<id>`). */
  responseUrl(id: string): string;
  readonly calls: RecordedCall[];
  /** Calls to one method that the fake answered 200 (rate-limited attempts excluded). */
  served(method: string): RecordedCall[];
  /** Answer the next `count` calls to `method` with 429 and `Retry-After: retryAfterSeconds`. */
  rateLimit(method: string, count: number, retryAfterSeconds?: number): void;
  /** Answer every call to `method` with `{ok:false, error}` until cleared with `undefined`. */
  failWith(method: string, error: string | undefined): void;
  /** Members of user groups, for `usergroups.users.list`. */
  readonly usergroups: Map<string, string[]>;
  /** Resolves once `count` calls to `method` have been served. */
  waitFor(method: string, count?: number): Promise<RecordedCall[]>;
  /** Files through the external upload flow: asked for, uploaded, completed into a channel or thread. */
  readonly files: FakeSlackFile[];
  close(): Promise<void>;
}

/** A file as Slack's external upload flow holds it. */
export interface FakeSlackFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  readonly altText?: string;
  /** The bytes sent to the upload URL, once they were. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  title?: string;
  channel?: string;
  threadTs?: string;
  /** The ts of the message that shows the file, once completed into a channel. */
  messageTs?: string;
}

export interface FakeSlackApiOptions {
  botToken?: string;
  /** The app-level token (xapp-…) `apps.connections.open` accepts. */
  appToken?: string;
  /** Where `apps.connections.open` sends the app; without it the app has Socket Mode off. */
  socketMode?: FakeSocketMode;
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view', 'users', 'files'];

/**
 * A fake Slack Web API as a real HTTP server on 127.0.0.1:0. Bolt's WebClient reaches it through
 * `clientOptions.slackApiUrl`; it checks the bot token (the app-level token for `apps.connections.open`,
 * which hands out a URL of the Socket Mode fake when one is given), answers the methods Belay calls with
 * the shapes Slack documents, records every call and can answer 429 with Retry-After to exercise retries.
 */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const botToken = options.botToken ?? 'xoxb-test-token';
  const appToken = options.appToken ?? 'xapp-test-token';
  const botUserId = options.botUserId ?? 'UBELAY0001';
  const botId = options.botId ?? 'BBELAY0001';
  const teamId = options.teamId ?? 'T0TEAM0001';
  const calls: RecordedCall[] = [];
  const limits = new Map<string, { count: number; retryAfter: number }>();
  const failures = new Map<string, string>();
  const usergroups = new Map<string, string[]>();
  const waiters: { method: string; count: number; resolve: (calls: RecordedCall[]) => void }[] = [];
  let tsCounter = 0;
  const files: FakeSlackFile[] = [];
  let base = '';
  /** Posted messages by channel, oldest first, for conversations.history. */
  const history = new Map<string, Record<string, unknown>[]>();
  const remember = (channel: string, message: Record<string, unknown>) => {
    const list = history.get(channel) ?? [];
    list.push(message);
    history.set(channel, list);
  };

  const served = (method: string) => calls.filter((c) => c.method === method && c.status === 200);

  function record(call: RecordedCall): void {
    calls.push(call);
    for (const waiter of [...waiters]) {
      const done = served(waiter.method);
      if (done.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(done);
      }
    }
  }

  function answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const failure = failures.get(method);
    if (failure) return { ok: false, error: failure };
    const nextTs = () => `1700000000.${String(++tsCounter).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'acme',
          user: 'belay',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
        };
      case 'chat.postMessage': {
        if (!body.channel) return { ok: false, error: 'channel_not_found' };
        if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
        const ts = nextTs();
        remember(String(body.channel), {
          type: 'message',
          ts,
          text: body.text,
          bot_id: botId,
          ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
          ...(isMetadata(body.metadata) ? { metadata: body.metadata } : {}),
        });
        return {
          ok: true,
          channel: body.channel,
          ts,
          message: { type: 'message', text: body.text, ts, bot_id: botId },
        };
      }
      case 'chat.update':
        if (!body.channel || !body.ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.postEphemeral':
        if (!body.channel || !body.user) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: nextTs() };
      case 'apps.connections.open':
        return options.socketMode
          ? { ok: true, url: options.socketMode.issueUrl() }
          : { ok: false, error: 'socket_mode_not_enabled' };
      case 'usergroups.users.list': {
        const users = usergroups.get(String(body.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'users.info':
        return {
          ok: true,
          user: { id: body.user, name: String(body.user).toLowerCase(), real_name: `User ${body.user}` },
        };
      case 'conversations.history': {
        // Top-level messages, newest first; metadata only when asked for, as the real API does.
        const limit = Number(body.limit ?? 100);
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
        const top = (history.get(String(body.channel)) ?? []).filter((m) => !m.thread_ts);
        const messages = top
          .slice()
          .reverse()
          .slice(0, limit)
          .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
        return { ok: true, messages, has_more: top.length > limit };
      }
      case 'files.getUploadURLExternal': {
        // Slack hands out a one-time URL to send the bytes to; here it is this server's /upload/<id>.
        const length = Number(body.length);
        if (!body.filename || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(files.length + 1).padStart(9, '0')}`;
        files.push({
          id,
          filename: String(body.filename),
          length,
          ...(body.alt_text ? { altText: String(body.alt_text) } : {}),
        });
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const wanted = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : [];
        if (wanted.length === 0) return { ok: false, error: 'invalid_arguments' };
        const found = wanted.map((w) => ({ w, file: files.find((f) => f.id === w.id) }));
        // A file whose bytes never reached the upload URL cannot be completed, as in Slack.
        if (found.some(({ file }) => !file?.bytes)) return { ok: false, error: 'file_not_found' };
        const channel = body.channel_id ? String(body.channel_id) : undefined;
        const ts = channel ? nextTs() : undefined;
        const shared = found.map(({ w, file }) => {
          const f = file as FakeSlackFile;
          f.title = w.title ?? f.filename;
          if (channel) {
            f.channel = channel;
            f.messageTs = ts as string;
            if (body.thread_ts) f.threadTs = String(body.thread_ts);
          }
          return {
            id: f.id,
            name: f.filename,
            title: f.title,
            mimetype: 'image/png',
            size: f.length,
            permalink: `https://acme.slack.com/files/${botUserId}/${f.id}/${f.filename}`,
          };
        });
        if (channel)
          remember(channel, {
            type: 'message',
            ts,
            text: typeof body.initial_comment === 'string' ? body.initial_comment : '',
            bot_id: botId,
            ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
            files: shared,
          });
        return { ok: true, files: shared };
      }
      case 'conversations.replies': {
        // The parent then its replies, oldest first; metadata only when asked for, as the real API does.
        const limit = Number(body.limit ?? 1_000);
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
        const thread = (history.get(String(body.channel)) ?? []).filter(
          (m) => m.ts === body.ts || m.thread_ts === body.ts,
        );
        if (thread.length === 0) return { ok: false, error: 'thread_not_found' };
        const messages = thread
          .slice(0, limit)
          .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
        return { ok: true, messages, has_more: thread.length > limit };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = String(req.headers['content-type'] ?? '');
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };

    if (url.pathname.startsWith('/upload/')) {
      // The upload URL takes the bytes raw or as a multipart form (the WebClient sends a form).
      const file = files.find((f) => f.id === url.pathname.slice('/upload/'.length));
      const data = contentType.includes('multipart/form-data') ? await formFile(bytes, contentType) : bytes;
      const ok = file !== undefined && data !== undefined && data.length === file.length && !file.bytes;
      if (ok) file.bytes = data;
      record({ method: 'upload', body: { id: file?.id, bytes: data?.length ?? 0 }, status: ok ? 200 : 400 });
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
      res.end(ok ? `OK - ${data.length}` : 'upload refused: unknown file, wrong length or sent twice');
      return;
    }
    const body = decode(raw, contentType);

    if (url.pathname.startsWith('/response/')) {
      const id = url.pathname.slice('/response/'.length);
      record({ method: `response_url:${id}`, body, status: 200 });
      return send(200, { ok: true });
    }

    const method = url.pathname.replace(/^\/api\//, '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : (body.token as string | undefined);
    const limit = limits.get(method);
    if (limit && limit.count > 0) {
      limit.count -= 1;
      record({ method, body, token, status: 429 });
      return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfter) });
    }
    // Socket Mode's connection call takes only the app-level token; every other method only the bot token.
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    if (token !== expected) {
      const wrongKind = token === appToken || token === botToken;
      record({ method, body, token, status: 200 });
      return send(200, {
        ok: false,
        error: !token ? 'not_authed' : wrongKind ? 'not_allowed_token_type' : 'invalid_auth',
      });
    }
    const payload = answer(method, body);
    record({ method, body, token, status: 200, response: payload });
    send(200, payload);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  const { port } = await listenOnLoopback(server);
  base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    calls,
    served,
    rateLimit: (method, count, retryAfterSeconds = 0) =>
      limits.set(method, { count, retryAfter: retryAfterSeconds }),
    failWith: (method, error) =>
      error === undefined ? failures.delete(method) : failures.set(method, error),
    usergroups,
    files,
    waitFor: (method, count = 1) => {
      const done = served(method);
      if (done.length >= count) return Promise.resolve(done);
      return new Promise((resolve) => waiters.push({ method, count, resolve }));
    },
    close: async () => {
      await closeNow(server);
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first file in a multipart form, read with the platform's own form parser. */
async function formFile(bytes: Buffer, contentType: string): Promise<Buffer | undefined> {
  const form = await new Response(new Uint8Array(bytes), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}

function decode(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = JSON_FIELDS.includes(key) ? safeJson(value) : value;
  }
  return body;
}

/** Slack's message metadata: an event_type and an event_payload object. */
function isMetadata(value: unknown): value is { event_type: string; event_payload: object } {
  const m = value as { event_type?: unknown; event_payload?: unknown } | undefined;
  return typeof m?.event_type === 'string' && typeof m.event_payload === 'object' && m.event_payload !== null;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
