import { createServer, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from './loopback.ts';

/** One query Belay sent, as the server read it. */
export interface LokiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly tenant?: string;
  readonly authorization?: string;
}

/** A stored stream: its labels and its lines, [nanoseconds since the epoch, line]. */
export interface StoredStream {
  readonly tenant?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly lines: readonly (readonly [bigint, string])[];
}

/** What the next query gets instead of an evaluation: an HTTP reply (text or JSON), or no answer at all. */
export type ScriptedLoki = { readonly status: number; readonly body: unknown } | 'hang';

export interface FakeLoki {
  readonly url: string;
  readonly requests: LokiRequest[];
  readonly streams: StoredStream[];
  readonly script: ScriptedLoki[];
  close(): Promise<void>;
}

export interface FakeLokiOptions {
  /** Multi-tenant (auth_enabled: true): a query without X-Scope-OrgID is 401 "no org id". */
  readonly multiTenant?: boolean;
}

/**
 * Loki's query API on 127.0.0.1:0: GET /loki/api/v1/query_range over stored streams, answered as Loki's
 * documented `streams` result. It evaluates one stream selector (=, !=, =~, !~) and line filters
 * (|= != |~ !~), honours start/end in nanoseconds, limit over all streams and direction, and answers like
 * Loki when it cannot: 400 with a plain-text parse error, 401 "no org id" without a tenant when
 * multi-tenant. A scripted reply (429, a hang) stands in for overload and timeouts.
 */
export async function startFakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  const requests: LokiRequest[] = [];
  const streams: StoredStream[] = [];
  const script: ScriptedLoki[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    const tenant = header(req.headers['x-scope-orgid']);
    const authorization = header(req.headers.authorization);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      params,
      ...(tenant ? { tenant } : {}),
      ...(authorization ? { authorization } : {}),
    });
    const next = script.shift();
    if (next === 'hang') {
      hanging.add(res);
      return;
    }
    if (next) return send(res, next.status, next.body);
    if (url.pathname !== '/loki/api/v1/query_range') return send(res, 404, '404 page not found\n');
    if (options.multiTenant && !tenant) return send(res, 401, 'no org id\n');
    const parsed = parseQuery(params.query ?? '');
    if ('error' in parsed) return send(res, 400, `${parsed.error}\n`);
    const start = BigInt(params.start ?? '0');
    const end = BigInt(params.end ?? `${BigInt(Date.now()) * 1_000_000n}`);
    const limit = Number(params.limit ?? '100');
    const backward = (params.direction ?? 'backward') === 'backward';
    if (end < start) return send(res, 400, 'end timestamp must not be before or equal to start time\n');
    const hits = streams
      .filter((s) => (options.multiTenant ? s.tenant === tenant : true))
      .filter((s) => parsed.selector.every((m) => m(s.labels)))
      .flatMap((s, i) =>
        s.lines
          .filter(([at, line]) => at >= start && at < end && parsed.filters.every((f) => f(line)))
          .map(([at, line]) => ({ i, at, line, labels: s.labels })),
      )
      .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at === backward ? 1 : -1))
      .slice(0, limit);
    const byStream = new Map<number, { stream: Record<string, string>; values: [string, string][] }>();
    for (const hit of hits) {
      const entry = byStream.get(hit.i) ?? { stream: { ...hit.labels }, values: [] };
      entry.values.push([String(hit.at), hit.line]);
      byStream.set(hit.i, entry);
    }
    return send(res, 200, {
      status: 'success',
      data: {
        resultType: 'streams',
        result: [...byStream.values()],
        stats: { summary: { totalLinesProcessed: hits.length } },
      },
    });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url,
    requests,
    streams,
    script,
    close: () => closeNow(server, hanging),
  };
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  });
  res.end(text);
}

type Test = (value: string) => boolean;
type LabelTest = (labels: Readonly<Record<string, string>>) => boolean;

/** `{a="b", c=~"d.*"} |= "x" != "y"`: one selector, then line filters; anything else is a parse error. */
function parseQuery(query: string): { selector: LabelTest[]; filters: Test[] } | { error: string } {
  const parseError = (at: number, what: string) => ({
    error: `parse error at line 1, col ${at + 1}: syntax error: unexpected ${what}`,
  });
  let i = skip(query, 0);
  if (query[i] !== '{') return parseError(i, query.slice(i, i + 10) || 'end of input');
  i = skip(query, i + 1);
  const selector: LabelTest[] = [];
  let nonEmpty = false;
  while (query[i] !== '}') {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*/.exec(query.slice(i));
    if (!m) return parseError(i, query.slice(i, i + 10) || 'end of input');
    i += m[0].length;
    const lit = literal(query, i);
    if (!lit) return parseError(i, 'STRING');
    i = skip(query, lit.end);
    const [label, op] = [m[1] ?? '', m[2] ?? '='];
    const test = match(op, lit.value);
    if (!test('')) nonEmpty = true; // Loki needs one matcher that an absent label cannot satisfy
    selector.push((l) => test(l[label] ?? ''));
    if (query[i] === ',') i = skip(query, i + 1);
    else if (query[i] !== '}') return parseError(i, query.slice(i, i + 10) || 'end of input');
  }
  if (!nonEmpty)
    return {
      error:
        'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
    };
  i = skip(query, i + 1);
  const filters: Test[] = [];
  while (i < query.length) {
    const f = /^(\|=|!=|\|~|!~)\s*/.exec(query.slice(i));
    if (!f) return parseError(i, query.slice(i, i + 10));
    i += f[0].length;
    const lit = literal(query, i);
    if (!lit) return parseError(i, 'STRING');
    i = skip(query, lit.end);
    const op = f[1] ?? '|=';
    const value = lit.value;
    filters.push(
      op === '|='
        ? (l) => l.includes(value)
        : op === '!='
          ? (l) => !l.includes(value)
          : op === '|~'
            ? (l) => new RegExp(value).test(l)
            : (l) => !new RegExp(value).test(l),
    );
  }
  return { selector, filters };
}

function match(op: string, value: string): Test {
  if (op === '=') return (v) => v === value;
  if (op === '!=') return (v) => v !== value;
  const re = new RegExp(`^(?:${value})$`);
  return op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
}

function literal(text: string, start: number): { value: string; end: number } | undefined {
  const quote = text[start];
  if (quote === '`') {
    const end = text.indexOf('`', start + 1);
    return end < 0 ? undefined : { value: text.slice(start + 1, end), end: end + 1 };
  }
  if (quote !== '"') return undefined;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') {
      try {
        return { value: JSON.parse(text.slice(start, i + 1)) as string, end: i + 1 };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function skip(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}
