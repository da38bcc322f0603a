import { parseArgs } from 'node:util';
import { composeFacts } from '../compose/index.ts';
import { prometheusTokenFromEnv } from '../config/sections/prometheus.ts';
import type { Verdict } from '../domain/index.ts';
import { parseActionWords } from '../govern/action-request.ts';
import { explainRequest } from '../govern/explain-request.ts';
import { explainVerdict, type Markup } from '../govern/explain-verdict.ts';
import { readStateSnapshot } from '../govern/store/index.ts';
import { utcTime } from '../govern/utc-time.ts';
import type { CliIo } from './cli-io.ts';
import { EXPLAIN_USAGE } from './explain-usage.ts';
import { readCommandConfig } from './read-command-config.ts';
import { MARK } from './render-verdict.ts';

/** The words of /remediate explain, for a terminal. */
const PLAIN: Markup = {
  mark: (effect) => MARK[effect],
  strong: (text) => text,
  emphasis: (text) => text,
  code: (text) => `[${text}]`,
  text: (text) => text,
  // `<@U0DBA0001>` and `<!subteam^S0DBAS001>` are Slack's; a terminal reads `@U0DBA0001`.
  mentions: (text) => text.replace(/<@([^>]+)>/g, '@$1').replace(/<!subteam\^([^>]+)>/g, '@$1'),
  met: (met) => (met ? '✓' : '✗'),
  time: utcTime,
};

const CLI_USER = 'belay-cli';

/**
 * The verdict the policy would give an action now (or at --at), on facts gathered live from the configured
 * cluster, Prometheus, calendars and Belay's state file, exactly as the execution gate gathers them. It
 * changes nothing and needs no Slack. Exit 0 whatever the verdict; 1 when it could not decide; 2 for usage.
 */
export async function runExplain(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    io.stderr(`belay explain: ${(error as Error).message}`);
    io.stderr(`usage: ${EXPLAIN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`usage: ${EXPLAIN_USAGE}`);
    io.stdout('  e.g. belay explain restart-pod databases/postgres-0 --config belay.yaml');
    return 0;
  }
  const [kind, targetText, ...argWords] = positionals;
  if (!values.config || !kind || !targetText) {
    io.stderr('belay explain needs an action, a target and --config, e.g.');
    io.stderr('  belay explain restart-pod databases/postgres-0 --config belay.yaml');
    io.stderr(`usage: ${EXPLAIN_USAGE}`);
    return 2;
  }
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) {
    io.stderr(`belay explain: --at "${values.at}" is not a time; write it like 2026-03-14T02:17:00Z`);
    return 2;
  }
  const action = parseActionWords(kind, targetText, argWords);
  if (!action.ok) {
    io.stderr(`belay explain: ${action.message}`);
    return 2;
  }

  const configPath = values.config;
  const config = await readCommandConfig(io, configPath, 'belay explain could not decide');
  if (!config) return 1;

  const env = io.env ?? {};
  const token = config.prometheus ? prometheusTokenFromEnv(config.prometheus, env) : { ok: true as const };
  if (!token.ok) {
    io.stderr(
      `belay explain could not decide: set ${token.missing} (named by prometheus.bearerTokenEnv) to read the rules' metrics`,
    );
    return 1;
  }
  const pagerdutyEnv = config.intake.pagerduty?.apiTokenEnv;
  const pagerdutyApiToken = pagerdutyEnv ? env[pagerdutyEnv]?.trim() || undefined : undefined;

  let snapshot: Awaited<ReturnType<typeof readStateSnapshot>>;
  try {
    snapshot = await readStateSnapshot(config.store.dir);
  } catch (error) {
    io.stderr(`belay explain could not decide: ${(error as Error).message}`);
    return 1;
  }
  if (!snapshot.found) {
    io.stderr(
      `belay explain: no Belay state at ${snapshot.file}; the rate ledger, freeze and pause read as if Belay had never acted.`,
    );
  }

  const clock = { now: () => new Date(at) };
  let facts: ReturnType<typeof composeFacts>;
  try {
    facts = composeFacts({
      config,
      clock,
      state: snapshot.state,
      ...(token.token ? { prometheusToken: token.token } : {}),
      ...(pagerdutyApiToken ? { pagerdutyApiToken } : {}),
    });
  } catch (error) {
    io.stderr(`belay explain could not decide: ${(error as Error).message}`);
    return 1;
  }
  // A target typed without a cluster is about the config's default cluster, as an alert without one is.
  const request = action.target.cluster
    ? action.request
    : {
        ...action.request,
        target: { ...(action.request.target as object), cluster: facts.clusters.defaultCluster },
      };

  const result = await explainRequest(
    { policy: config, facts: facts.facts, clock },
    { request, user: CLI_USER },
  );
  if (!result.verdict) {
    io.stderr(`belay explain could not decide: ${result.message}`);
    return 1;
  }
  if (values.json) {
    io.stdout(JSON.stringify({ at: at.toISOString(), request, verdict: result.verdict }, null, 2));
  } else {
    for (const line of explanationText(result.verdict, at)) io.stdout(line);
  }
  return 0;
}

/** The explanation as /remediate explain shows it, in plain text. */
export function explanationText(verdict: Verdict, at: Date): string[] {
  const explained = explainVerdict(verdict, PLAIN, at);
  return [...explained.verdict, ...explained.rule, ...explained.facts];
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
