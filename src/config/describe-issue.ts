import type { z } from 'zod';

// zod's own messages are written for developers ("Invalid input: expected string, received number").
// These say what an SRE needs at 3 AM: which value, what is wrong with it, what would be accepted.

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  /** The value the file holds at the issue's path (undefined when the key is missing). */
  readonly input: unknown;
  /** The key the issue is about (last path segment), for "missing key" messages. */
  readonly key: string | number | undefined;
  /** Literal values allowed at the path (enum options), to list in the message. */
  readonly allowed: readonly string[];
}

export function describeIssue(issue: Issue, context: IssueContext): string {
  const { input, key, allowed } = context;
  const oneOf = allowed.length > 0 ? `; use one of: ${allowed.join(', ')}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        return typeof key === 'string'
          ? `\`${key}\` is required (${expectedWord(issue.expected)})${oneOf}`
          : `a value is required (${expectedWord(issue.expected)})`;
      }
      return `expected ${expectedWord(issue.expected)}, got ${show(input)}${oneOf}`;
    case 'invalid_value':
      if (input === undefined)
        return `\`${String(key)}\` is required; use one of: ${issue.values.map(String).join(', ')}`;
      return `${show(input)} is not allowed here; use one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_union': {
      const expected = unionExpectations(issue);
      if (input === undefined) return `\`${String(key)}\` is required (${expected})`;
      return `expected ${expected}, got ${show(input)}`;
    }
    case 'too_small':
      return `${show(input)} is too small: ${bound(issue.origin, issue.minimum, 'at least')}`;
    case 'too_big':
      return `${show(input)} is too big: ${bound(issue.origin, issue.maximum, 'at most')}`;
    case 'invalid_format':
      if (issue.format === 'datetime') {
        return `${show(input)} is not a date and time with a zone; write it like 2025-12-24T00:00:00Z or 2025-12-24T00:00:00+01:00`;
      }
      return `${show(input)}: ${issue.message}`;
    case 'unrecognized_keys':
      return `unknown keys ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

function bound(origin: string, limit: number | bigint, word: string): string {
  switch (origin) {
    case 'array':
      return `needs ${word} ${limit} item${limit === 1 ? '' : 's'}`;
    case 'string':
      return Number(limit) === 1 && word === 'at least'
        ? 'must not be empty'
        : `must be ${word} ${limit} characters long`;
    default:
      return `must be ${word} ${limit}`;
  }
}

function unionExpectations(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const words = new Set<string>();
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === 'invalid_type') words.add(expectedWord(inner.expected));
      else if (inner.code === 'invalid_value') for (const v of inner.values) words.add(JSON.stringify(v));
    }
  }
  return words.size > 0 ? [...words].join(' or ') : 'a different value';
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys',
  record: 'a mapping of keys',
  literal: 'a fixed value',
};

function expectedWord(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return String(value);
}
