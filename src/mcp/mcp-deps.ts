import type { AuditEvent, AuditInput, Incident, Proposal, Verdict } from '../domain/index.ts';
import type { ManualRequest, UseCaseResult } from '../govern/service.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import type { CallLimits } from './call-limits.ts';

/** Belay's open incidents as the state store holds them; read, never written. */
export interface IncidentReader {
  listIncidents(filter?: { status?: Incident['status'] }): Incident[];
  getIncident(id: string): Incident | undefined;
  listProposals(filter?: { incidentId?: string }): Proposal[];
  /** The incident's alerts as they were received, from the audit trail. */
  alertsOf(incident: Incident): Promise<AuditEvent[]>;
}

/**
 * What the MCP server is given by whoever composes it (`belay mcp` or the running bot). It receives
 * use-cases as functions, never the execution gate: nothing here can run an action.
 */
export interface McpDeps {
  readonly readTools: readonly ReadTool[];
  /** Where a read tool looks when the agent names no cluster. */
  readonly defaultCluster: string;
  /** The investigation tools' output budget, in characters per answer. */
  readonly outputChars: number;
  /** `/remediate explain`'s use-case: the verdict now, changing nothing. */
  explain(request: ManualRequest): Promise<UseCaseResult & { verdict?: Verdict }>;
  /** Present where a state store is: the running bot. */
  readonly incidents?: IncidentReader;
  /** `/remediate propose`'s use-case; present only where Slack and the store are (the running bot). */
  readonly propose?: (request: ManualRequest) => Promise<UseCaseResult & { verdict?: Verdict }>;
  /** A link to the proposal's Slack message, when it can be made. */
  readonly proposalLink?: (proposal: Proposal) => string | undefined;
  readonly audit: { append(input: Omit<AuditInput, 'at'>): Promise<unknown> };
  readonly limits: CallLimits;
}

/** The audit and Slack identity of an MCP client: never a Slack user ID, so never an approver. */
export const mcpUser = (client: string): string => `mcp:${client}`;
