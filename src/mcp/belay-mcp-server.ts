import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { clusterNameSchema, redact, redactDeep, type Verdict } from '../domain/index.ts';
import { parseActionWords } from '../govern/action-request.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { boundToolOutput } from '../orient/tool-runner.ts';
import { incidentDetail, incidentSummary } from './incident-view.ts';
import { type McpDeps, mcpUser } from './mcp-deps.ts';

const actionInput = {
  action: z
    .string()
    .max(64)
    .describe('A catalog action: restart-pod, rollout-restart, scale, rollback-deployment, patch-configmap'),
  target: z
    .string()
    .max(300)
    .describe('As typed after /remediate: databases/postgres-0, shop/deployment/web, prod:shop/web-7c9f-x'),
  args: z
    .record(z.string().max(253), z.string().max(1_000))
    .optional()
    .describe('Action arguments, e.g. {"replicas": "3"} for scale'),
};

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * One MCP server for one client. Every call is counted against the client's limits and audited under its
 * name before anything else happens; read tools answer within the investigation's output budget.
 */
export function createBelayMcpServer(deps: McpDeps, client: string): McpServer {
  const server = new McpServer({ name: 'belay', version: '1.0.0' });
  const user = mcpUser(client);

  const guarded =
    <A>(tool: string, run: (args: A) => Promise<CallToolResult>) =>
    async (args: A): Promise<CallToolResult> => {
      const refused = deps.limits.admitCall(client);
      await deps.audit.append({
        type: 'mcp.call',
        actor: { type: 'user', id: user },
        summary: refused
          ? `${client} called ${tool}: refused, over its rate limit`
          : `${client} called ${tool}`,
        data: { client, tool, args: redact(JSON.stringify(args ?? {})).slice(0, 2_000), refused: !!refused },
      });
      if (refused) return failure(refused);
      return run(args);
    };

  for (const tool of deps.readTools) registerReadTool(server, deps, tool, guarded);

  server.registerTool(
    'explain_action',
    {
      description:
        "The verdict Belay's policy would give now for an action on a target, with every reason (windows, rate limits, approvers, the never-list). Changes nothing.",
      inputSchema: actionInput,
      annotations: READ,
    },
    guarded('explain_action', async (args: ActionArgs) => {
      const request = actionRequest(args, deps.defaultCluster);
      if (!request.ok) return failure(request.message);
      const result = await deps.explain({ request: request.request, user });
      if (!result.verdict) return failure(`Belay could not decide: ${result.message}`);
      return verdictResult(result.verdict);
    }),
  );

  const incidents = deps.incidents;
  if (incidents) {
    server.registerTool(
      'list_incidents',
      {
        description: 'Open incidents: their target, alerts and the state of their proposals.',
        annotations: READ,
      },
      guarded('list_incidents', async () =>
        json({
          incidents: incidents.listIncidents({ status: 'open' }).map((i) => incidentSummary(incidents, i)),
        }),
      ),
    );
    server.registerTool(
      'get_incident',
      {
        description: 'One incident: its alerts, its proposals with their verdicts and every reason.',
        inputSchema: { id: z.string().min(1).max(100) },
        annotations: READ,
      },
      guarded('get_incident', async ({ id }: { id: string }) => {
        const incident = incidents.getIncident(id);
        if (!incident) return failure(`There is no incident ${id}; list_incidents shows the open ones.`);
        return json(await incidentDetail(incidents, incident));
      }),
    );
  }

  const propose = deps.propose;
  if (propose) {
    server.registerTool(
      'propose_action',
      {
        description:
          'Propose an action for a human to approve in Slack. It is posted to the incident channel with its verdict and buttons; nothing runs until an approver clicks. Returns the proposal id and a link.',
        inputSchema: {
          ...actionInput,
          reason: z.string().max(500).optional().describe('Why, for the approver'),
        },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      guarded('propose_action', async (args: ActionArgs & { reason?: string }) => {
        const request = actionRequest(args, deps.defaultCluster);
        if (!request.ok) return failure(request.message);
        // What the policy forbids is refused here with the reasons, before any card is posted.
        const explained = await deps.explain({ request: request.request, user });
        if (!explained.verdict) return failure(`Belay could not decide: ${explained.message}`);
        if (explained.verdict.disposition === 'forbidden')
          return failure(`Refused: the policy forbids this.\n${verdictLines(explained.verdict).join('\n')}`);
        const limited = deps.limits.admitProposal(client);
        if (limited) return failure(limited);
        const result = await propose({
          request: request.request,
          user,
          requester: `MCP client ${client}${args.reason ? ` (${plainWords(redact(args.reason))})` : ''}`,
        });
        if (!result.ok || !result.proposal) return failure(result.message);
        const link = deps.proposalLink?.(result.proposal);
        return json({
          proposalId: result.proposal.id,
          incidentId: result.proposal.incidentId,
          state: result.proposal.state,
          message: `${result.message} A human approves or rejects it in Slack; nothing runs before that.`,
          ...(link ? { link } : {}),
          ...(result.verdict ? { verdict: verdictSummary(result.verdict) } : {}),
        });
      }),
    );
  }
  return server;
}

type ActionArgs = { action: string; target: string; args?: Record<string, string> };
type Guard = <A>(
  tool: string,
  run: (args: A) => Promise<CallToolResult>,
) => (args: A) => Promise<CallToolResult>;

/** A read tool with the investigation's schema, plus the cluster to read (the default one when left out). */
function registerReadTool(server: McpServer, deps: McpDeps, tool: ReadTool, guarded: Guard): void {
  const input =
    tool.input instanceof z.ZodObject
      ? tool.input.extend({
          cluster: clusterNameSchema.optional().describe(`Which cluster; default ${deps.defaultCluster}`),
        })
      : tool.input;
  server.registerTool(
    tool.name,
    { description: tool.description, inputSchema: input, annotations: READ },
    guarded(tool.name, async (args: unknown) => {
      const { cluster, ...rest } = args as Record<string, unknown>;
      const result = await tool.run(rest, {
        cluster: typeof cluster === 'string' ? cluster : deps.defaultCluster,
      });
      const bounded = boundToolOutput(tool.name, result, deps.outputChars);
      return { content: [{ type: 'text', text: bounded.content }] };
    }),
  );
}

function actionRequest(args: ActionArgs, defaultCluster: string) {
  const words = Object.entries(args.args ?? {}).map(([k, v]) => `${k}=${v}`);
  const parsed = parseActionWords(args.action, args.target, words);
  if (!parsed.ok) return parsed;
  // A target named without a cluster is about the default cluster, as in `belay explain`.
  if (parsed.target.cluster) return { ok: true as const, request: parsed.request };
  const target = { ...(parsed.request.target as object), cluster: defaultCluster };
  return { ok: true as const, request: { ...parsed.request, target } };
}

function verdictSummary(verdict: Verdict) {
  return redactDeep({
    disposition: verdict.disposition,
    headline: verdict.headline,
    reasons: verdict.reasons,
    ...(verdict.approvers ? { approvers: verdict.approvers } : {}),
    ...(verdict.rule ? { rule: verdict.rule } : {}),
    namespaceClass: verdict.namespaceClass,
  });
}

function verdictLines(verdict: Verdict): string[] {
  return [
    verdict.headline,
    ...verdict.reasons.map(
      (r) => `- [${r.effect}] ${r.rule}: ${r.message}${r.until ? ` (until ${r.until})` : ''}`,
    ),
  ].map(redact);
}

function verdictResult(verdict: Verdict): CallToolResult {
  return {
    content: [
      { type: 'text', text: verdictLines(verdict).join('\n') },
      { type: 'text', text: JSON.stringify(verdictSummary(verdict)) },
    ],
  };
}

/** The agent's words go on a Slack card: escaped as Slack asks, so they cannot mention, link or notify. */
const plainWords = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s+/g, ' ');

const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(redactDeep(value)) }],
});
const failure = (message: string): CallToolResult => ({
  content: [{ type: 'text', text: redact(message) }],
  isError: true,
});
