import { z } from 'zod';
import { anchoredRe2 } from './re2-regex.ts';

// Alertmanager's matcher syntax (`severity="critical"`, `pod=~"postgres-.*"`, `team!="infra"`), so a rule's
// alert clause reads exactly like the route or silence the operator already wrote for that alert.
export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  readonly regex?: RegExp;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

export function parseMatcher(text: string): Matcher | string {
  const m = MATCHER.exec(text);
  if (!m) return `"${text}" is not a matcher; write it like severity="critical" or pod=~"postgres-.*"`;
  const [, label, op, quoted, bare] = m as unknown as [string, string, Matcher['op'], string?, string?];
  const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  if (op === '=~' || op === '!~') {
    // Anchored and read as RE2, as Alertmanager reads its regular expressions.
    const regex = anchoredRe2(value);
    if (typeof regex === 'string')
      return `"${value}" in ${text} is not a valid regular expression (${regex})`;
    return { label, op, value, regex };
  }
  return { label, op, value };
}

/** Alertmanager's rule: a label the set does not have matches as the empty string (`pod!="x"` holds without `pod`). */
export function matcherMatches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex?.test(actual) ?? false;
    case '!~':
      return !(matcher.regex?.test(actual) ?? false);
  }
}

export function formatMatcher(matcher: Matcher): string {
  return `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;
}

export const matcherSchema = z.string().transform((text, ctx) => {
  const parsed = parseMatcher(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});
