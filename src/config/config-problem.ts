/** A key path inside the config file, as zod and the YAML document both address it. */
export type ConfigPath = readonly (string | number)[];

/** A problem found by a check, before it is placed in the file. */
export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

/** One thing wrong with the config file, placed where the operator will look for it. */
export interface ConfigProblem {
  readonly file: string;
  /** `rules[0].when.metric.for`; empty for the file as a whole. */
  readonly path: string;
  /** 1-based; absent when the problem is about the file itself (it cannot be read). */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `rules[0].when.metric.for`; keys that are not plain words are quoted: `labels["app.kubernetes.io/name"]`. */
export function formatConfigPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `belay.yaml:12:7  rules[0].when.metric.for  "60" is not a duration…` */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === ''
    ? `${where}  ${problem.message}`
    : `${where}  ${problem.path}  ${problem.message}`;
}
