/** A LogQL query held to one namespace, or the reason it cannot be. */
export type ScopedQuery =
  | { readonly ok: true; readonly query: string; readonly selectors: number }
  | { readonly ok: false; readonly reason: string };

export interface ScopeOptions {
  readonly namespace: string;
  /** The stream label that holds the namespace: `namespace` (promtail), `k8s_namespace_name` (OTel). */
  readonly label: string;
  readonly maxChars: number;
}

interface Matcher {
  readonly label: string;
  readonly op: string;
  /** The literal as written, quotes included, so the query Loki reads is the one that was checked. */
  readonly literal: string;
}

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OP = /^(=~|!~|!=|=)/;

/**
 * Rewrites every stream selector of a LogQL query so that it reads only `namespace`: a selector without the
 * namespace matcher gets it; one that names the same namespace with `=` keeps it; anything that could reach
 * further (another namespace, `!=`, `=~`, `!~`) refuses the whole query. Strings and comments are read as
 * Loki's lexer reads them, so a brace inside `|= "{...}"` is text, not a selector.
 */
export function scopeLogQL(query: string, options: ScopeOptions): ScopedQuery {
  const refuse = (reason: string): ScopedQuery => ({ ok: false, reason });
  if (query.trim() === '') return refuse('the query is empty; write a stream selector such as {app="web"}');
  if (query.length > options.maxChars)
    return refuse(`the query is ${query.length} characters; the limit is ${options.maxChars}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(query))
    return refuse('the query holds a line break or control character; write it on one line');

  let out = '';
  let selectors = 0;
  let i = 0;
  while (i < query.length) {
    const c = query[i] ?? '';
    if (c === '"' || c === '`') {
      const end = stringEnd(query, i);
      if (end === undefined) return refuse(`a string opened at position ${i + 1} is never closed`);
      out += query.slice(i, end);
      i = end;
    } else if (c === '#') {
      // A comment runs to the end of the (single) line: Loki ignores it, and so does the check.
      out += query.slice(i);
      i = query.length;
    } else if (c === '{') {
      const selector = readSelector(query, i);
      if ('reason' in selector) return refuse(selector.reason);
      const ns = selector.matchers.filter((m) => m.label === options.label);
      for (const m of ns) {
        const why = widens(m, options);
        if (why) return refuse(why);
      }
      const matchers =
        ns.length > 0
          ? selector.matchers
          : [
              { label: options.label, op: '=', literal: JSON.stringify(options.namespace) },
              ...selector.matchers,
            ];
      out += `{${matchers.map((m) => `${m.label}${m.op}${m.literal}`).join(', ')}}`;
      selectors++;
      i = selector.end;
    } else if (c === '}') {
      return refuse(`a "}" at position ${i + 1} closes no stream selector`);
    } else {
      out += c;
      i++;
    }
  }
  if (selectors === 0)
    return refuse('the query has no stream selector; start it with one such as {app="web"} |= "error"');
  return { ok: true, query: out, selectors };
}

/** Why a namespace matcher would read beyond the incident's namespace, or undefined when it does not. */
function widens(m: Matcher, options: ScopeOptions): string | undefined {
  if (m.op !== '=')
    return `a ${m.label}${m.op}… matcher could reach other namespaces; leave it out, Belay adds ${options.label}="${options.namespace}" itself`;
  const value = literalValue(m.literal);
  if (value !== options.namespace)
    return `this investigation reads only namespace ${options.namespace}; the query asks for ${m.label}=${m.literal}`;
  return undefined;
}

function readSelector(
  query: string,
  start: number,
): { readonly matchers: Matcher[]; readonly end: number } | { readonly reason: string } {
  const matchers: Matcher[] = [];
  let i = skipSpace(query, start + 1);
  const unreadable = (at: number) => ({
    reason: `could not read the stream selector at position ${at + 1}; write it as {label="value", …}`,
  });
  if (query[i] === '}') return { matchers, end: i + 1 };
  for (;;) {
    const label = LABEL.exec(query.slice(i))?.[0];
    if (!label) return unreadable(i);
    i = skipSpace(query, i + label.length);
    const op = OP.exec(query.slice(i))?.[0];
    if (!op) return unreadable(i);
    i = skipSpace(query, i + op.length);
    if (query[i] !== '"' && query[i] !== '`') return unreadable(i);
    const end = stringEnd(query, i);
    if (end === undefined) return { reason: `a string opened at position ${i + 1} is never closed` };
    matchers.push({ label, op, literal: query.slice(i, end) });
    i = skipSpace(query, end);
    if (query[i] === ',') {
      i = skipSpace(query, i + 1);
      continue;
    }
    if (query[i] === '}') return { matchers, end: i + 1 };
    return unreadable(i);
  }
}

/** The index just past a "…" (with backslash escapes) or `…` (raw) literal starting at `start`. */
function stringEnd(text: string, start: number): number | undefined {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) return i + 1;
  }
  return undefined;
}

/** What a literal means: backquoted text is raw; a double-quoted one has Go escapes (JSON's, near enough). */
function literalValue(literal: string): string | undefined {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}
