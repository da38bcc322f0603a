import { z } from 'zod';

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
    try {
      // Anchored, as Alertmanager anchors its regular expressions.
      return { label, op, value, regex: new RegExp(`^(?:${value})$`) };
    } catch (error) {
      return `"${value}" in ${text} is not a valid regular expression (${(error as Error).message})`;
    }
  }
  return { label, op, value };
}

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
