import { createServer, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from './loopback.ts';

/** One query Belay sent, as the server read it. */
export interface PrometheusRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly authorization?: string;
}

/** A stored series: labels (with __name__) and samples [unix seconds, value]. */
export interface StoredSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly (readonly [number, number])[];
}

/** What the next query gets instead of an evaluation: an HTTP reply, or no answer at all. */
export type Scripted = { readonly status: number; readonly body: unknown } | 'hang';

export interface FakePrometheus {
  readonly url: string;
  readonly requests: PrometheusRequest[];
  readonly series: StoredSeries[];
  /** Replies used, one per request, before the store answers again. */
  readonly script: Scripted[];
  close(): Promise<void>;
}

const LOOKBACK_S = 300;

/**
 * A Prometheus HTTP API on 127.0.0.1:0 that answers /api/v1/query and /api/v1/query_range from stored
 * series. It evaluates plain selectors only (`name{label="v",label!="v",label=~"re",label!~"re"}`) the way
 * Prometheus does: Go-style string escapes, a 5-minute lookback, step-aligned range evaluation. Anything
 * else is 400 bad_data, as a real Prometheus answers a query it cannot parse; other paths are 404.
 */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  const requests: PrometheusRequest[] = [];
  const series: StoredSeries[] = [];
  const script: Scripted[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      params,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const next = script.shift();
    if (next === 'hang') {
      hanging.add(res);
      return;
    }
    if (next) return send(res, next.status, next.body);
    if (url.pathname !== '/api/v1/query' && url.pathname !== '/api/v1/query_range')
      return send(res, 404, '404 page not found');
    const selector = parseSelector(params.query ?? '');
    if (!selector)
      return send(res, 400, error('bad_data', `1:1: parse error: cannot parse "${params.query}"`));
    const matching = series.filter((s) => selector.every((m) => m(s.labels)));
    if (url.pathname === '/api/v1/query') {
      const time = Number(params.time ?? Date.now() / 1_000);
      const result = matching.flatMap((s) => {
        const v = valueAt(s, time);
        return v === undefined ? [] : [{ metric: s.labels, value: [time, String(v)] }];
      });
      return send(res, 200, { status: 'success', data: { resultType: 'vector', result } });
    }
    const [start, end, step] = [Number(params.start), Number(params.end), Number(params.step)];
    if (![start, end, step].every(Number.isFinite) || step <= 0 || end < start)
      return send(res, 400, error('bad_data', 'invalid parameter "start", "end" or "step"'));
    if ((end - start) / step > 11_000)
      return send(
        res,
        400,
        error(
          'bad_data',
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        ),
      );
    const result = matching.flatMap((s) => {
      const values: [number, string][] = [];
      for (let t = start; t <= end + 1e-9; t += step) {
        const v = valueAt(s, t);
        if (v !== undefined) values.push([Number(t.toFixed(3)), String(v)]);
      }
      return values.length > 0 ? [{ metric: s.labels, values }] : [];
    });
    return send(res, 200, { status: 'success', data: { resultType: 'matrix', result } });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url,
    requests,
    series,
    script,
    close: () => closeNow(server, hanging),
  };
}

export function error(errorType: string, message: string) {
  return { status: 'error', errorType, error: message };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

/** The sample in force at `t`: the latest at or before it, within the lookback. */
function valueAt(s: StoredSeries, t: number): number | undefined {
  let found: number | undefined;
  for (const [at, v] of s.samples) if (at <= t && at > t - LOOKBACK_S) found = v;
  return found;
}

type LabelTest = (labels: Readonly<Record<string, string>>) => boolean;

/** A plain selector as Prometheus's lexer reads it; undefined for anything else (functions, operators). */
export function parseSelector(query: string): LabelTest[] | undefined {
  const head = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{)?/.exec(query);
  if (!head) return undefined;
  const name = head[1] ?? '';
  const tests: LabelTest[] = [(l) => l.__name__ === name];
  let i = head[0].length;
  if (head[2]) {
    for (;;) {
      const matcher = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"/.exec(query.slice(i));
      if (!matcher) {
        const close = /^\s*\}/.exec(query.slice(i));
        if (!close) return undefined;
        i += close[0].length;
        break;
      }
      i += matcher[0].length;
      const literal = readString(query, i);
      if (!literal) return undefined;
      i = literal.end;
      tests.push(labelTest(matcher[1] ?? '', matcher[2] ?? '=', literal.value));
      const comma = /^\s*,/.exec(query.slice(i));
      if (comma) i += comma[0].length;
    }
  }
  return query.slice(i).trim() === '' ? tests : undefined;
}

function labelTest(label: string, op: string, value: string): LabelTest {
  const actual = (l: Readonly<Record<string, string>>) => l[label] ?? '';
  if (op === '=') return (l) => actual(l) === value;
  if (op === '!=') return (l) => actual(l) !== value;
  const re = new RegExp(`^(?:${value})$`);
  return op === '=~' ? (l) => re.test(actual(l)) : (l) => !re.test(actual(l));
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'" };

/** A double-quoted literal from `start` (just after the quote); a raw control character is a lex error. */
function readString(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') return { value, end: i + 1 };
    if (c === '\n') return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i] ?? '';
    if (e === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (e in ESCAPES) value += ESCAPES[e];
    else return undefined;
  }
  return undefined;
}
