import { envelopeSchema, type QueryData } from './prometheus-response.ts';

export interface PrometheusClientOptions {
  /** Prometheus's base URL, without /api/v1 (a path prefix behind a proxy is kept). */
  readonly url: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Sent as `Authorization: Bearer …`; never appears in a message. */
  readonly bearerToken?: string;
  /** One query, request and answer together; also sent to Prometheus as its own `timeout`. */
  readonly timeoutMs: number;
}

export type PrometheusAnswer =
  | { readonly ok: true; readonly data: QueryData; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

export interface RangeOptions {
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
  readonly signal?: AbortSignal;
}

/** Reads only: the two query endpoints are the whole surface. No admin, no write, no remote-write. */
export interface PrometheusClient {
  /** Where it points, without credentials, for messages. */
  readonly origin: string;
  instant(
    query: string,
    options?: { readonly time?: Date; readonly signal?: AbortSignal },
  ): Promise<PrometheusAnswer>;
  range(query: string, options: RangeOptions): Promise<PrometheusAnswer>;
}

const QUERY_PATHS = { instant: '/api/v1/query', range: '/api/v1/query_range' } as const;

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new Error(`Prometheus URL must be http or https, not ${base.protocol}`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const origin = `${base.origin}${prefix}`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const seconds = (d: Date) => (d.getTime() / 1_000).toFixed(3);

  async function get(
    which: keyof typeof QUERY_PATHS,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<PrometheusAnswer> {
    const url = new URL(`${base.origin}${prefix}${QUERY_PATHS[which]}`);
    for (const [key, value] of Object.entries({ ...params, timeout: `${options.timeoutMs}ms` }))
      url.searchParams.set(key, value);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: {
          accept: 'application/json',
          ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
        },
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      return { ok: false, error: unreachable(error, origin, options.timeoutMs) };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: unreachable(error, origin, options.timeoutMs) };
      body = undefined;
    }
    return answerFrom(response.status, body, origin);
  }

  return {
    origin,
    instant: (query, opts = {}) =>
      get('instant', { query, ...(opts.time ? { time: seconds(opts.time) } : {}) }, opts.signal),
    range: (query, opts) =>
      get(
        'range',
        { query, start: seconds(opts.start), end: seconds(opts.end), step: String(opts.stepSeconds) },
        opts.signal,
      ),
  };
}

function unreachable(error: unknown, origin: string, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError') return `Prometheus at ${origin} did not answer within ${timeoutMs} ms`;
  if (name === 'AbortError') return `the query to Prometheus at ${origin} was cancelled`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `could not reach Prometheus at ${origin} (${why}); check prometheus.url and that Belay may reach it`;
}

/** Turns Prometheus's envelope (or a proxy's page) into data, or into a message an engineer can act on. */
function answerFrom(status: number, body: unknown, origin: string): PrometheusAnswer {
  const parsed = envelopeSchema.safeParse(body);
  if (parsed.success && parsed.data.status === 'success' && status >= 200 && status < 300)
    return { ok: true, data: parsed.data.data, warnings: parsed.data.warnings ?? [] };
  if (parsed.success && parsed.data.status === 'error') {
    const type = parsed.data.errorType ?? 'error';
    const text = (parsed.data.error ?? 'no detail given').slice(0, 300);
    const advice = ADVICE[type] ?? ADVICE[String(status)] ?? '';
    return { ok: false, error: `Prometheus answered ${status} ${type}: ${text}${advice}` };
  }
  if (status === 401 || status === 403)
    return {
      ok: false,
      error: `Prometheus at ${origin} refused Belay's credentials (HTTP ${status}); check the token named by prometheus.bearerTokenEnv`,
    };
  if (status < 200 || status >= 300)
    return {
      ok: false,
      error: `HTTP ${status} from ${origin}, not a Prometheus answer (a proxy in between?)`,
    };
  return { ok: false, error: `the answer from ${origin} was not a Prometheus query result` };
}

const ADVICE: Record<string, string> = {
  bad_data: ' (the query or its parameters are not valid PromQL; fix the query)',
  execution: ' (Prometheus could not run it; narrow the query)',
  timeout: ' (Prometheus gave up; use a shorter range or fewer series, or try again)',
  canceled: ' (Prometheus cancelled it; try again)',
  unavailable: ' (Prometheus is not ready; try again shortly)',
  '503': ' (Prometheus is overloaded or starting; try again shortly)',
};
