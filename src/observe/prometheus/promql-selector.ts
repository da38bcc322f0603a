// PromQL selectors are built here and nowhere else, from names checked against Prometheus's grammar and
// values escaped as PromQL string literals, so a hostile label value can never end the string early
// and add a query of its own.

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type LabelMatcherOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: LabelMatcherOp;
  readonly value: string;
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/**
 * A double-quoted PromQL string literal. PromQL reads Go-style escapes: the backslash and the quote are
 * escaped, and every control character is written as \n, \r, \t or \u00XX so nothing raw reaches the lexer.
 */
export function promqlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** `metric{label="value",…}`; an error (not a query) when a name does not fit Prometheus's grammar. */
export function seriesSelector(
  metric: string,
  matchers: readonly LabelMatcher[],
): { readonly ok: true; readonly selector: string } | { readonly ok: false; readonly reason: string } {
  if (!isMetricName(metric))
    return { ok: false, reason: `"${metric.slice(0, 100)}" is not a Prometheus metric name` };
  const bad = matchers.find((m) => !LABEL_NAME.test(m.label));
  if (bad) return { ok: false, reason: `"${bad.label.slice(0, 100)}" is not a Prometheus label name` };
  const inner = matchers.map((m) => `${m.label}${m.op}${promqlString(m.value)}`).join(',');
  return { ok: true, selector: `${metric}{${inner}}` };
}
