import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { checkAddedWindow, isKnownTimeZone } from '../config/index.ts';
import { prometheusTokenFromEnv } from '../config/sections/prometheus.ts';
import {
  clock,
  DEFAULT_CLUSTER,
  describePattern,
  parseDuration,
  type RecurringPattern,
  type SuggestedWindow,
  suggestWindow,
} from '../domain/index.ts';
import { windowFromDefinition } from '../observe/calendar/index.ts';
import { readRecurringPatterns, windowsCoveringPattern } from '../observe/patterns/index.ts';
import { createPrometheusClient } from '../observe/prometheus/index.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandConfig } from './read-command-config.ts';

export const WINDOWS_USAGE =
  'belay windows suggest --config FILE [--since 14d] [--until ISO] [--namespace NS]... [--timezone TZ] [--json]';

/** One pattern found, with what would name it. */
export interface PatternReport {
  readonly pattern: RecurringPattern;
  readonly description: string;
  /** Configured windows that already cover it; then no window is suggested. */
  readonly coveredBy: readonly string[];
  readonly window?: SuggestedWindow;
  /** What check-config says of the file with the window added; empty when it would be valid. */
  readonly problems: readonly string[];
}

const FAILED = 'belay windows suggest could not search';

/**
 * Looks for recurring patterns in Prometheus's history of the targets in scope and prints, for each one a
 * configured window does not already cover, a window ready to paste. Reads only. Exit 0 whatever it finds;
 * 1 when the config or Prometheus fails; 2 for usage.
 */
export async function runWindows(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`usage: ${WINDOWS_USAGE}`);
    return 0;
  }
  if (sub !== 'suggest') {
    io.stderr(sub ? `belay windows: unknown subcommand "${sub}"` : 'belay windows needs a subcommand');
    io.stderr(`usage: ${WINDOWS_USAGE}`);
    return 2;
  }
  const options = parseOptions(rest);
  if (!options.ok) {
    io.stderr(`belay windows suggest: ${options.error}`);
    io.stderr(`usage: ${WINDOWS_USAGE}`);
    return 2;
  }
  const { file, sinceMs, untilMs, namespaces, timeZone, json } = options;
  const config = await readCommandConfig(io, file, FAILED);
  if (!config) return 1;
  if (!config.prometheus) {
    io.stderr(
      `${FAILED}: ${file} has no prometheus section, and the history lives there; add prometheus.url and run again`,
    );
    return 1;
  }
  const token = prometheusTokenFromEnv(config.prometheus, io.env ?? {});
  if (!token.ok) {
    io.stderr(`${FAILED}: the environment variable ${token.missing} (prometheus.bearerTokenEnv) is not set`);
    return 1;
  }
  const client = createPrometheusClient({
    url: config.prometheus.url,
    // A search over weeks is heavier than the one-pod queries the timeout is set for.
    timeoutMs: Math.max(config.prometheus.timeout, 60_000),
    ...(token.token ? { bearerToken: token.token } : {}),
  });
  const cluster =
    config.prometheus.cluster ??
    config.kubernetes.defaultCluster ??
    config.kubernetes.clusters[0]?.name ??
    DEFAULT_CLUSTER;
  const reading = await readRecurringPatterns(
    client,
    { cluster, ...(namespaces.length ? { namespaces } : {}) },
    { sinceMs, untilMs, timeZone },
  );
  if (!reading.ok) {
    io.stderr(`${FAILED}: ${reading.error}`);
    return 1;
  }
  const configured = config.windows.map(windowFromDefinition);
  const text = await io.readFile(file);
  // A suggestion never takes a name the file (or an earlier suggestion) already uses.
  const taken = new Set(config.windows.map((w) => w.name));
  const reports = reading.patterns.map((pattern): PatternReport => {
    const coveredBy = windowsCoveringPattern(pattern, configured, untilMs, cluster);
    if (coveredBy.length > 0)
      return { pattern, description: describePattern(pattern), coveredBy, problems: [] };
    const suggested = suggestWindow(pattern);
    const window = { ...suggested, name: freeName(suggested.name, taken) };
    taken.add(window.name);
    return {
      pattern,
      description: describePattern(pattern),
      coveredBy,
      window,
      problems: checkAddedWindow(text, file, window),
    };
  });
  if (json) {
    const period = { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString() };
    io.stdout(
      JSON.stringify({ ...period, seriesExamined: reading.seriesExamined, patterns: reports }, null, 2),
    );
    return 0;
  }
  for (const line of renderReports(reports, {
    sinceMs,
    untilMs,
    seriesExamined: reading.seriesExamined,
    origin: client.origin,
  }))
    io.stdout(line);
  return 0;
}

type Options =
  | {
      ok: true;
      file: string;
      sinceMs: number;
      untilMs: number;
      namespaces: string[];
      timeZone: string;
      json: boolean;
    }
  | { ok: false; error: string };

function parseOptions(args: readonly string[]): Options {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (!values.config) return { ok: false, error: '--config FILE is required' };
  const untilMs = values.until === undefined ? Date.now() : Date.parse(values.until);
  if (Number.isNaN(untilMs))
    return {
      ok: false,
      error: `--until "${values.until}" is not a time; write it like 2026-03-14T14:00:00Z`,
    };
  const lookback = parseDuration(values.since ?? '14d');
  if (lookback === undefined || lookback <= 0)
    return { ok: false, error: `--since "${values.since}" is not a duration; write it like 14d or 3w` };
  if (lookback < 3 * 86_400_000)
    return {
      ok: false,
      error: `--since ${values.since} is too short: a pattern needs at least 3 days to recur; try 14d`,
    };
  const timeZone = values.timezone ?? 'UTC';
  if (!isKnownTimeZone(timeZone))
    return {
      ok: false,
      error: `--timezone "${timeZone}" is not an IANA time zone; write one like Europe/Berlin or UTC`,
    };
  return {
    ok: true,
    file: values.config,
    sinceMs: untilMs - lookback,
    untilMs,
    namespaces: values.namespace ?? [],
    timeZone,
    json: values.json ?? false,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      timezone: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
  });
}

function renderReports(
  reports: readonly PatternReport[],
  about: { sinceMs: number; untilMs: number; seriesExamined: number; origin: string },
): string[] {
  const days = Math.round((about.untilMs - about.sinceMs) / 86_400_000);
  const head = `Searched ${days} days of ${about.seriesExamined} series in ${about.origin}: ${reports.length} recurring pattern${reports.length === 1 ? '' : 's'}.`;
  if (reports.length === 0) return [head, 'Nothing rises at the same time most days; no window to suggest.'];
  const lines = [head];
  reports.forEach((report, i) => {
    const { pattern } = report;
    const target = `${pattern.target.namespace}/${pattern.target.pod ?? pattern.target.workload?.name}`;
    const owner = pattern.target.workload
      ? ` (${pattern.target.workload.kind} ${pattern.target.workload.name})`
      : '';
    lines.push('', `${i + 1}. ${report.description}.`);
    lines.push(`   target:    ${target}${owner}`);
    lines.push(
      `   evidence:  seen on ${pattern.daysSeen} of ${pattern.daysExamined} ${pattern.period === 'weekly' ? 'weeks' : 'days'}; ` +
        `typically ${clock(pattern.startMinute)}–${clock(pattern.endMinute)} ${pattern.timeZone}; ` +
        `peak ${level(pattern.signal, pattern.peak)} against a baseline of ${level(pattern.signal, pattern.baseline)}${ratio(pattern)}`,
    );
    if (pattern.coincidingCronJob)
      lines.push(
        `   coincides: CronJob ${pattern.coincidingCronJob.namespace}/${pattern.coincidingCronJob.name} runs then`,
      );
    if (report.coveredBy.length > 0) {
      lines.push(`   already covered by window ${report.coveredBy.join(', ')}: nothing to add.`);
      return;
    }
    const verdict =
      report.problems.length === 0
        ? 'check-config accepts it'
        : `check-config would refuse it:\n${report.problems.map((p) => `     ${p}`).join('\n')}`;
    lines.push(`   window to paste under \`windows:\` (${verdict}):`);
    for (const line of stringify([report.window]).trimEnd().split('\n')) lines.push(`     ${line}`);
  });
  return lines;
}

function level(signal: string, value: number): string {
  if (signal === 'memory')
    return value >= 1e9 ? `${(value / 1e9).toFixed(1)} GB` : `${Math.round(value / 1e6)} MB`;
  if (signal === 'cpu') return `${value.toFixed(2)} cores`;
  if (signal === 'restarts') return `${value.toFixed(1)} restarts per 5 min`;
  return value.toPrecision(3);
}

function ratio(pattern: RecurringPattern): string {
  return pattern.baseline > 0 ? ` (${(pattern.peak / pattern.baseline).toFixed(1)}×)` : '';
}

function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${name.slice(0, 63 - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
