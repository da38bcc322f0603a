import { z } from 'zod';

export interface LokiClientOptions {
  /** Loki's base URL, without /loki/api/v1 (a path prefix behind a gateway is kept). */
  readonly url: string;
  /** Sent as X-Scope-OrgID when Loki is multi-tenant. */
  readonly tenant?: string;
  /** Sent as `Authorization: Bearer …`; never appears in a message. */
  readonly bearerToken?: string;
  /** One query, request and answer together. */
  readonly timeoutMs: number;
  readonly fetch?: typeof globalThis.fetch;
}

export interface LogStream {
  readonly labels: Readonly<Record<string, string>>;
  /** [nanoseconds since the epoch as a string, line], as Loki sends them. */
  readonly values: readonly (readonly [string, string])[];
}

export type LokiAnswer =
  | { readonly ok: true; readonly streams: readonly LogStream[] }
  | { readonly ok: false; readonly error: string };

export interface LokiRangeOptions {
  readonly start: Date;
  readonly end: Date;
  /** Lines Loki returns at most, over all streams. */
  readonly limit: number;
  readonly direction: 'forward' | 'backward';
  readonly signal?: AbortSignal;
}

/** Reads only: the range query endpoint is the whole surface. No push, no tail, no delete. */
export interface LokiClient {
  /** Where it points, without credentials, for messages. */
  readonly origin: string;
  queryRange(query: string, options: LokiRangeOptions): Promise<LokiAnswer>;
}

const streamsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(
      z.object({
        stream: z.record(z.string(), z.string()).optional(),
        values: z.array(z.tuple([z.string(), z.string()]).rest(z.unknown())).optional(),
      }),
    ),
  }),
});

const QUERY_RANGE = '/loki/api/v1/query_range';
const nanos = (d: Date) => `${BigInt(d.getTime()) * 1_000_000n}`;

export function createLokiClient(options: LokiClientOptions): LokiClient {
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new Error(`Loki URL must be http or https, not ${base.protocol}`);
  const origin = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const doFetch = options.fetch ?? globalThis.fetch;

  return {
    origin,
    async queryRange(query, range) {
      const url = new URL(`${origin}${QUERY_RANGE}`);
      url.searchParams.set('query', query);
      url.searchParams.set('start', nanos(range.start));
      url.searchParams.set('end', nanos(range.end));
      url.searchParams.set('limit', String(range.limit));
      url.searchParams.set('direction', range.direction);
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = range.signal ? AbortSignal.any([timeout, range.signal]) : timeout;
      let status: number;
      let text: string;
      try {
        const response = await doFetch(url, {
          headers: {
            accept: 'application/json',
            ...(options.tenant ? { 'x-scope-orgid': options.tenant } : {}),
            ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
          },
          signal,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        return { ok: false, error: unreachable(error, origin, options.timeoutMs) };
      }
      return answerFrom(status, text, origin);
    },
  };
}

function unreachable(error: unknown, origin: string, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError')
    return `Loki at ${origin} did not answer within ${timeoutMs} ms; use a shorter range or a narrower selector`;
  if (name === 'AbortError') return `the query to Loki at ${origin} was cancelled`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `could not reach Loki at ${origin} (${why}); check loki.url and that Belay may reach it`;
}

/** Loki's answer as streams, or a message an engineer can act on. Loki's errors are plain text or JSON. */
function answerFrom(status: number, text: string, origin: string): LokiAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300) {
    const parsed = streamsSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: `the answer from ${origin} was not a Loki query result` };
    if (parsed.data.data.resultType !== 'streams')
      return {
        ok: false,
        error: `Loki answered with ${parsed.data.data.resultType}, not log lines: logs_query shows lines, so ask for a log selector without rate()/count_over_time(); use metrics_query for numbers`,
      };
    return {
      ok: true,
      streams: parsed.data.data.result.map((r) => ({
        labels: r.stream ?? {},
        values: (r.values ?? []).map((v) => [v[0], v[1]] as const),
      })),
    };
  }
  const detail = errorText(body, text);
  if (status === 400) return { ok: false, error: `Loki refused the query (400): ${detail}; fix the LogQL` };
  if (status === 401 && /org id/i.test(detail))
    return {
      ok: false,
      error: `Loki at ${origin} needs a tenant (401: ${detail}); set loki.tenant to the X-Scope-OrgID your logs are under`,
    };
  if (status === 401 || status === 403)
    return {
      ok: false,
      error: `Loki at ${origin} refused Belay's credentials (HTTP ${status}); check the token named by loki.bearerTokenEnv and loki.tenant`,
    };
  if (status === 429)
    return {
      ok: false,
      error: `Loki is limiting queries (429: ${detail}); wait a minute, or ask for a shorter range or fewer lines`,
    };
  if (status === 504 || /timeout|deadline/i.test(detail))
    return {
      ok: false,
      error: `Loki gave up (HTTP ${status}: ${detail}); use a shorter range or a narrower selector`,
    };
  return { ok: false, error: `HTTP ${status} from Loki at ${origin}: ${detail}` };
}

/** The error's words: Loki sends plain text, newer versions and gateways JSON with `message` or `error`. */
function errorText(body: unknown, text: string): string {
  const json = body as { message?: unknown; error?: unknown } | undefined;
  const words =
    typeof json?.message === 'string' ? json.message : typeof json?.error === 'string' ? json.error : text;
  return words.trim().slice(0, 300) || 'no detail given';
}
