import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composeReplay } from '../compose/compose-replay.ts';
import type { Config } from '../config/index.ts';
import { prometheusTokenFromEnv } from '../config/sections/prometheus.ts';
import { parseDuration } from '../domain/index.ts';
import { pastOutcomesFrom, runReplay } from '../govern/replay/index.ts';
import { readRuleRecords } from '../govern/store/index.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandConfig } from './read-command-config.ts';
import { replayText } from './render-replay.ts';
import { REPLAY_HELP, REPLAY_USAGE } from './replay-usage.ts';

const FAILED = 'belay replay could not replay';

/**
 * `belay replay`: the policy replayed over a past period, from Prometheus (or the audit log without one).
 * Exit 0 with a report, 1 when the config or the history could not be read, 2 for a wrong command line.
 */
export async function runReplayCommand(args: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    values = parseOptions(args).values;
  } catch (error) {
    io.stderr(`belay replay: ${(error as Error).message}`);
    io.stderr(`usage: ${REPLAY_USAGE}`);
    return 2;
  }
  if (values.help) {
    for (const line of REPLAY_HELP) io.stdout(line);
    return 0;
  }
  if (!values.config || !values.since) {
    io.stderr('belay replay needs --config and --since, e.g.');
    io.stderr('  belay replay --config belay.yaml --since 7d');
    io.stderr(`usage: ${REPLAY_USAGE}`);
    return 2;
  }
  const untilMs = values.until === undefined ? Date.now() : Date.parse(values.until);
  if (Number.isNaN(untilMs)) {
    io.stderr(`belay replay: --until "${values.until}" is not a time; write it like 2026-03-14T14:00:00Z`);
    return 2;
  }
  const sinceMs = periodStart(values.since, untilMs);
  if (sinceMs === undefined) {
    io.stderr(
      `belay replay: --since "${values.since}" is neither a duration (7d, 36h, 90m) nor a time (2026-03-07T00:00:00Z)`,
    );
    return 2;
  }
  if (sinceMs >= untilMs) {
    io.stderr(
      `belay replay: the period must start before it ends; --since gives ${new Date(sinceMs).toISOString()}, --until ${new Date(untilMs).toISOString()}`,
    );
    return 2;
  }

  const config = await readCommandConfig(io, values.config, FAILED);
  if (!config) return 1;
  const token = config.prometheus
    ? prometheusTokenFromEnv(config.prometheus, io.env ?? {})
    : { ok: true as const };
  if (!token.ok) {
    io.stderr(`${FAILED}: set ${token.missing} (named by prometheus.bearerTokenEnv) to read Prometheus`);
    return 1;
  }
  const deps = composeReplay({ config, ...(token.token ? { prometheusToken: token.token } : {}) });
  if (!config.prometheus)
    io.stderr(
      `belay replay: no prometheus section in ${values.config}; replaying the alerts in the audit log at ${join(config.store.dir, 'audit')}`,
    );
  const pastOutcome = await pastOutcomesOf(config, io);
  const started = performance.now();
  const result = await runReplay(
    { ...deps, ...(pastOutcome ? { pastOutcome } : {}) },
    { sinceMs, untilMs, ...(values.rule ? { rule: values.rule } : {}) },
  );
  if (!result.ok) {
    io.stderr(
      result.problem === 'request' ? `belay replay: ${result.message}` : `${FAILED}: ${result.message}`,
    );
    return result.problem === 'request' ? 2 : 1;
  }
  if (values.json) io.stdout(JSON.stringify(result.report, null, 2));
  else {
    for (const line of replayText(result.report)) io.stdout(line);
    io.stdout(`Replayed in ${((performance.now() - started) / 1_000).toFixed(1)} s.`);
  }
  return 0;
}

/**
 * What Belay's own actions led to, from rule-records.json in store.dir (read, never written), shown beside
 * the episodes they ran in, as `/remediate replay` shows them. Unreadable: the replay goes on without them.
 */
async function pastOutcomesOf(config: Config, io: CliIo) {
  try {
    const outcomes = Object.values((await readRuleRecords(config.store.dir))?.outcomes ?? {});
    if (outcomes.length === 0) return undefined;
    return pastOutcomesFrom(
      () => outcomes,
      config.outcomes,
      () => new Date(),
    );
  } catch (error) {
    io.stderr(`belay replay: what Belay's past actions led to is left out: ${(error as Error).message}`);
    return undefined;
  }
}

/** `7d` back from the end, or an ISO time as written. */
function periodStart(text: string, untilMs: number): number | undefined {
  const duration = parseDuration(text);
  if (duration !== undefined) return duration > 0 ? untilMs - duration : undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: false,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      since: { type: 'string' },
      until: { type: 'string' },
      rule: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
