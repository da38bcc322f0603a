import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composeMcpDeps } from '../compose/compose-mcp.ts';
import { composeFacts, composeReadTools } from '../compose/index.ts';
import { lokiTokenFromEnv } from '../config/sections/loki.ts';
import { mcpTokensFromEnv } from '../config/sections/mcp.ts';
import { prometheusTokenFromEnv } from '../config/sections/prometheus.ts';
import { systemClock } from '../domain/index.ts';
import type { GovernanceState } from '../govern/facts-source.ts';
import { createAuditLog, readStateSnapshot } from '../govern/store/index.ts';
import { createBelayMcpServer, serveMcpHttp, serveMcpStdio } from '../mcp/index.ts';
import type { CliIo } from './cli-io.ts';
import { MCP_USAGE } from './mcp-usage.ts';
import { readCommandConfig } from './read-command-config.ts';

/**
 * `belay mcp`: Belay's read tools and explain_action for an agent, over stdio (one local client) or
 * Streamable HTTP (--http). Standalone, it has no Slack and writes no state, so it cannot propose:
 * propose_action, list_incidents and get_incident are served by the running bot's endpoint (mcp.http).
 * Its calls are audited under <store.dir>/audit-mcp/<client>, apart from the bot's own trail.
 */
export async function runMcp(args: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    values = parseOptions(args).values;
  } catch (error) {
    io.stderr(`belay mcp: ${(error as Error).message}`);
    io.stderr(`usage: ${MCP_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(`usage: ${MCP_USAGE}`);
    return 0;
  }
  if (!values.config) {
    io.stderr('belay mcp needs --config, e.g. belay mcp --config belay.yaml');
    io.stderr(`usage: ${MCP_USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    io.stderr(`belay mcp: --port "${values.port}" is not a port; give a number from 0 to 65535`);
    return 2;
  }

  const configPath = values.config;
  const config = await readCommandConfig(io, configPath, 'belay mcp cannot start');
  if (!config) return 1;
  const section = config.mcp;
  if (!section) {
    io.stderr(
      `belay mcp cannot start: ${configPath} has no mcp section naming the clients it serves; add one (README.md, "Agents over MCP").`,
    );
    return 1;
  }
  const env = io.env ?? {};
  const names = section.clients.map((c) => c.name);
  const client = values.client ?? (names.length === 1 ? names[0] : undefined);
  if (!values.http && (!client || !names.includes(client))) {
    io.stderr(
      `belay mcp: ${values.client ? `"${values.client}" is not a client in the mcp section` : 'which client is this?'}; pass --client with one of: ${names.join(', ')}`,
    );
    return 2;
  }
  const tokens = values.http ? mcpTokensFromEnv(section, env) : { ok: true as const, tokens: [] };
  if (!tokens.ok) {
    io.stderr(`belay mcp cannot start: set ${tokens.missing.join(', ')} (named by mcp.clients[].tokenEnv)`);
    return 1;
  }
  const prom = config.prometheus ? prometheusTokenFromEnv(config.prometheus, env) : { ok: true as const };
  const loki = config.loki ? lokiTokenFromEnv(config.loki, env) : { ok: true as const };
  for (const [token, name] of [
    [prom, 'prometheus'],
    [loki, 'loki'],
  ] as const) {
    if (!token.ok) {
      io.stderr(`belay mcp cannot start: set ${token.missing} (named by ${name}.bearerTokenEnv)`);
      return 1;
    }
  }
  const prometheusToken = prom.ok ? prom.token : undefined;
  const lokiToken = loki.ok ? loki.token : undefined;

  const clock = systemClock;
  // The bot's state, read again before each use and never written: explain sees today's ledger and switches.
  let snapshot: GovernanceState;
  try {
    snapshot = (await readStateSnapshot(config.store.dir)).state;
  } catch (error) {
    io.stderr(`belay mcp cannot start: ${(error as Error).message}`);
    return 1;
  }
  const state: GovernanceState = {
    getIncident: (id) => snapshot.getIncident(id),
    ledger: () => snapshot.ledger(),
    freeze: () => snapshot.freeze(),
    pause: () => snapshot.pause(),
    approvedBefore: () => snapshot.approvedBefore(),
  };
  let composed: ReturnType<typeof composeFacts>;
  try {
    composed = composeFacts({ config, clock, state, ...(prometheusToken ? { prometheusToken } : {}) });
  } catch (error) {
    io.stderr(`belay mcp cannot start: ${(error as Error).message}`);
    return 1;
  }
  const tools = composeReadTools({
    config,
    clusters: composed.clusters,
    prometheus: composed.prometheus,
    clock,
    ...(lokiToken ? { lokiToken } : {}),
  });
  const auditDir = join(config.store.dir, 'audit-mcp', values.http ? 'http' : (client as string));
  let audit: Awaited<ReturnType<typeof createAuditLog>>;
  try {
    audit = await createAuditLog({ dir: auditDir, clock });
  } catch (error) {
    io.stderr(
      `belay mcp cannot start: its audit log at ${auditDir} cannot be opened: ${(error as Error).message}`,
    );
    return 1;
  }
  const base = composeMcpDeps({
    config,
    clock,
    tools,
    defaultCluster: composed.clusters.defaultCluster,
    facts: composed.facts,
    audit,
  });
  const deps = {
    ...base,
    explain: async (request: Parameters<typeof base.explain>[0]) => {
      snapshot = (await readStateSnapshot(config.store.dir)).state;
      return base.explain(request);
    },
  };

  if (!values.http) {
    io.stderr(`belay mcp: serving ${client} over stdio (read tools and explain_action)`);
    await serveMcpStdio(createBelayMcpServer(deps, client as string));
    return 0;
  }
  const host = values.host ?? section.http.host;
  const running = await serveMcpHttp({
    host,
    port: port ?? section.http.port,
    tokens: tokens.tokens,
    serverFor: (name) => createBelayMcpServer(deps, name),
    onError: (error) => io.stderr(`belay mcp: ${(error as Error).message}`),
  });
  io.stderr(`belay mcp: listening on http://${host}:${running.port}/mcp (read tools and explain_action)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      config: { type: 'string', short: 'c' },
      client: { type: 'string' },
      http: { type: 'boolean', default: false },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
