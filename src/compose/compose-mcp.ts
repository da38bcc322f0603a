import type { Config } from '../config/index.ts';
import { mcpTokensFromEnv } from '../config/sections/mcp.ts';
import type { Clock, Proposal } from '../domain/index.ts';
import type { FactsSource } from '../govern/execution-gate.ts';
import { explainRequest } from '../govern/explain-request.ts';
import type { RemediationService } from '../govern/service.ts';
import type { AuditLog, StateStore } from '../govern/store/index.ts';
import {
  createBelayMcpServer,
  createCallLimits,
  DEFAULT_MCP_LIMITS,
  type IncidentReader,
  type McpDeps,
  type RunningMcpHttp,
  serveMcpHttp,
} from '../mcp/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { DEFAULT_BUDGETS } from '../orient/budgets.ts';

export interface ComposeMcpOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly tools: readonly ReadTool[];
  readonly defaultCluster: string;
  readonly facts: FactsSource;
  readonly audit: Pick<AuditLog, 'append'>;
  /** The running bot's store and use-cases: with them come list_incidents, get_incident and propose_action. */
  readonly bot?: {
    readonly store: StateStore;
    readonly audit: AuditLog;
    readonly service: Pick<RemediationService, 'propose'>;
  };
}

/**
 * What the MCP server needs, from Belay's own parts: the investigation's read tools and output budget,
 * `/remediate explain`'s use-case, and in the bot `/remediate propose`'s. The execution gate is not among
 * them; a proposal runs only through an approver's click in Slack.
 */
export function composeMcpDeps(options: ComposeMcpOptions): McpDeps {
  const { config, clock, bot } = options;
  const incidents: IncidentReader | undefined = bot && {
    listIncidents: (filter) => bot.store.listIncidents(filter),
    getIncident: (id) => bot.store.getIncident(id),
    listProposals: (filter) => bot.store.listProposals(filter),
    alertsOf: async (incident) =>
      (await bot.audit.last(2_000)).filter(
        (e) =>
          e.type === 'alert.received' &&
          typeof (e.data.alert as { fingerprint?: unknown } | undefined)?.fingerprint === 'string' &&
          Object.hasOwn(incident.alerts, (e.data.alert as { fingerprint: string }).fingerprint),
      ),
  };
  return {
    readTools: options.tools,
    defaultCluster: options.defaultCluster,
    outputChars: config.llm?.budgets.toolOutputChars ?? DEFAULT_BUDGETS.toolOutputChars,
    explain: (request) => explainRequest({ policy: config, facts: options.facts, clock }, request),
    audit: options.audit,
    limits: createCallLimits(config.mcp?.limits ?? DEFAULT_MCP_LIMITS, clock),
    ...(incidents ? { incidents } : {}),
    ...(bot
      ? {
          propose: (request) => bot.service.propose(request),
          proposalLink: (proposal: Proposal) =>
            slackLink(bot.store.getIncident(proposal.incidentId)?.slackMessage),
        }
      : {}),
  };
}

/** The Slack permalink of a message, as Slack writes them: the ts without its dot. */
function slackLink(message: { channel: string; ts: string } | undefined): string | undefined {
  return message
    ? `https://slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`
    : undefined;
}

/**
 * The bot's MCP endpoint, when `mcp.http.enabled`: Streamable HTTP at /mcp, each client known by its bearer
 * token. Throws (Belay does not start) when a client's token variable is unset.
 */
export async function startMcpEndpoint(
  config: Config,
  environment: Readonly<Record<string, string | undefined>>,
  deps: McpDeps,
  port?: number,
): Promise<RunningMcpHttp | undefined> {
  const section = config.mcp;
  if (!section?.http.enabled) return undefined;
  const tokens = mcpTokensFromEnv(section, environment);
  if (!tokens.ok)
    throw new Error(`Belay cannot start: set ${tokens.missing.join(', ')} (named by mcp.clients[].tokenEnv)`);
  return serveMcpHttp({
    host: section.http.host,
    port: port ?? section.http.port,
    tokens: tokens.tokens,
    serverFor: (client) => createBelayMcpServer(deps, client),
  });
}
