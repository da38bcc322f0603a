import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { type ConfigCheck, DEFAULT_CONFIG_CHECKS } from './config-checks.ts';
import { type ConfigPath, type ConfigProblem, formatConfigPath } from './config-problem.ts';
import { deepFreeze } from './deep-freeze.ts';
import { parseEveryIssue } from './parse-every-issue.ts';
import { type Config, configSchema } from './schema.ts';
import { bareNumberDurations } from './schema-walk.ts';
import { createYamlLocator, type Position } from './yaml-locator.ts';

export type LoadConfigResult =
  | { readonly ok: true; readonly config: Readonly<Config> }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export interface LoadConfigOptions {
  /** Checks run once the schema accepts the file; defaults to DEFAULT_CONFIG_CHECKS. */
  readonly checks?: readonly ConfigCheck[];
}

/**
 * Parses belay.yaml and reports every problem at once, each with its path and line, so an operator fixes
 * the file in one sitting instead of one error per run. The config it returns is frozen.
 */
export function loadConfig(
  text: string,
  fileName: string,
  options: LoadConfigOptions = {},
): LoadConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = createYamlLocator(doc, lineCounter);
  const problems: ConfigProblem[] = [];
  const add = (path: ConfigPath, where: Position, message: string) =>
    problems.push({
      file: fileName,
      path: formatConfigPath(path),
      line: where.line,
      column: where.column,
      message,
    });

  const syntaxLines = new Set<number>();
  for (const error of [...doc.errors, ...doc.warnings]) {
    const where = locate.position(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY' || error.name === 'YAMLWarning') {
      const path = locate.pathAt(error.pos[0]);
      add(path, where, describeYamlError(error, path));
    } else if (!syntaxLines.has(where.line)) {
      // The parser's follow-on errors on the same line, and any path it guesses, would only add noise.
      syntaxLines.add(where.line);
      add([], where, describeYamlError(error, []));
    }
  }
  // After a syntax error the document's shape is a guess; schema errors about it would only mislead.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return { ok: false, problems: sorted(problems) };

  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    add([], { line: 1, column: 1 }, 'the file is empty; start from examples/belay.yaml');
    return { ok: false, problems };
  }
  const bareNumbers = bareNumberDurations(configSchema, raw);
  for (const path of bareNumbers) {
    const value = path.reduce<unknown>((v, s) => (v as never)[s], raw);
    add(
      path,
      locate.at(path),
      `${String(value)} has no unit, so it would be read as ${String(value)} milliseconds; write the unit, like ${String(value)}s or ${String(value)}m`,
    );
  }

  const parsed = parseEveryIssue(configSchema, raw, bareNumbers);
  for (const issue of parsed.issues) {
    add(issue.path, issue.at === 'key' ? locate.key(issue.path) : locate.at(issue.path), issue.message);
  }
  if (parsed.data) {
    for (const check of options.checks ?? DEFAULT_CONFIG_CHECKS) {
      for (const issue of check(parsed.data)) {
        const path = parsed.toOriginal(issue.path);
        add(path, locate.at(path), issue.message);
      }
    }
  }
  if (problems.length > 0 || !parsed.data) return { ok: false, problems: sorted(problems) };
  return { ok: true, config: deepFreeze(parsed.data) };
}

/** Reads and loads the config file; the one place Belay reads it. A missing file is a problem, not a crash. */
export async function readConfigFile(
  path: string,
  read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8'),
  options: LoadConfigOptions = {},
): Promise<LoadConfigResult> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (error as Error).message;
    return {
      ok: false,
      problems: [
        {
          file: path,
          path: '',
          message: `cannot read the config file: ${why}; check the path (or BELAY_CONFIG), or start from examples/belay.yaml`,
        },
      ],
    };
  }
  return loadConfig(text, path, options);
}

function describeYamlError(error: YAMLError, path: ConfigPath): string {
  if (error.code === 'DUPLICATE_KEY') {
    return `\`${String(path.at(-1))}\` appears twice in the same mapping; YAML would silently keep only one of them, so delete the other`;
  }
  return `YAML ${error.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${error.message}`;
}

function sorted(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
