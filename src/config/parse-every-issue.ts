import type { z } from 'zod';
import { closestMatch } from '../domain/index.ts';
import type { ConfigPath } from './config-problem.ts';
import { describeIssue } from './describe-issue.ts';
import { allowedValuesAt, knownKeysAt } from './schema-walk.ts';

/** A schema problem at a path of the ORIGINAL file; `at: 'key'` points at the key rather than its value. */
export interface LocatedIssue {
  readonly path: ConfigPath;
  readonly message: string;
  readonly at: 'key' | 'node';
}

export interface EveryIssue<T> {
  readonly issues: LocatedIssue[];
  /** What parsed once the broken parts were cut away (absent if nothing could); for the semantic checks. */
  readonly data?: T;
  /** Maps a path in `data` back to the file (array indexes shift when broken items are cut). */
  readonly toOriginal: (path: ConfigPath) => ConfigPath;
}

const MAX_PASSES = 12;

/**
 * zod skips an object's refinements (cross-references, "auto is refused here") once any field inside it
 * failed, so one typo would hide every other problem. Parse again with each broken part cut away until
 * the rest parses, reporting what each pass finds, except what the cutting itself caused.
 */
export function parseEveryIssue<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  preCut: readonly ConfigPath[] = [],
): EveryIssue<T> {
  const cut = new Set(preCut.map(key));
  const issues: LocatedIssue[] = [];
  const reported = new Set<string>();
  const report = (issue: LocatedIssue) => {
    const id = `${key(issue.path)} ${issue.message}`;
    if (!reported.has(id)) issues.push(issue);
    reported.add(id);
  };
  const valueAt = (path: ConfigPath): unknown =>
    path.reduce<unknown>((v, s) => (v !== null && typeof v === 'object' ? (v as never)[s] : undefined), raw);

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { input, toOriginal } = withoutCut(raw, cut);
    const result = schema.safeParse(input);
    if (result.success) return { issues, data: result.data, toOriginal };
    let progressed = false;
    for (const issue of result.error.issues) {
      const path = toOriginal(issue.path as ConfigPath);
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeysAt(schema, path);
        for (const name of issue.keys) {
          const suggestion = closestMatch(name, known);
          report({
            path: [...path, name],
            at: 'key',
            message:
              `unknown key \`${name}\`` +
              (suggestion ? `; did you mean \`${suggestion}\`?` : '') +
              (known.length > 0 ? ` (allowed here: ${known.join(', ')})` : ''),
          });
          cut.add(key([...path, name]));
          progressed = true;
        }
        continue;
      }
      // An issue on (or above) something already cut was caused by the cutting, not by the file.
      const causedByCut = [...cut].some((c) => isPrefix(path, JSON.parse(c) as ConfigPath));
      if (!causedByCut) {
        report({
          path,
          at: 'node',
          message: describeIssue(issue, {
            input: valueAt(path),
            key: path[path.length - 1],
            allowed: allowedValuesAt(schema, path),
          }),
        });
      }
      let target = path;
      while (target.length > 0 && cut.has(key(target))) target = target.slice(0, -1);
      if (target.length > 0) {
        cut.add(key(target));
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return { issues, toOriginal: (path) => path };
}

function key(path: ConfigPath): string {
  return JSON.stringify(path);
}

function isPrefix(prefix: ConfigPath, path: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** A copy of the raw value without the cut paths, and the way back from its array indexes to the file's. */
function withoutCut(
  raw: unknown,
  cut: ReadonlySet<string>,
): { input: unknown; toOriginal: EveryIssue<unknown>['toOriginal'] } {
  const kept = new Map<string, number[]>();
  const strip = (value: unknown, path: ConfigPath): unknown => {
    if (Array.isArray(value)) {
      const indexes = value.map((_, i) => i).filter((i) => !cut.has(key([...path, i])));
      kept.set(key(path), indexes);
      return indexes.map((i) => strip(value[i], [...path, i]));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => !cut.has(key([...path, k])))
          .map(([k, v]) => [k, strip(v, [...path, k])]),
      );
    }
    return value;
  };
  const input = strip(raw, []);
  const toOriginal = (path: ConfigPath): ConfigPath => {
    const original: (string | number)[] = [];
    for (const segment of path) {
      const indexes = typeof segment === 'number' ? kept.get(key(original)) : undefined;
      original.push(indexes?.[segment as number] ?? segment);
    }
    return original;
  };
  return { input, toOriginal };
}
