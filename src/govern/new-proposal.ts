import { randomUUID } from 'node:crypto';
import type { Action, Actor, Alert, Incident, Origin, Policy, Proposal, Verdict } from '../domain/index.ts';
import { describeAction } from '../domain/index.ts';
import type { AuditLog, StateStore } from './store/index.ts';

export interface NewProposal {
  readonly incident: Incident;
  readonly action: Action;
  readonly origin: Origin;
  readonly alert?: Alert;
  readonly verdict: Verdict;
  readonly now: Date;
  readonly by: Actor;
}

/**
 * Stores a decided action as a proposal that expires after the policy's approval TTL, and audits it. The
 * one way a proposal is born, whether a rule, the model, a thread question or /remediate asked for it.
 */
export async function newProposal(
  deps: { store: StateStore; audit: AuditLog; policy: Pick<Policy, 'approvalTtl'>; newId?: () => string },
  input: NewProposal,
): Promise<Proposal> {
  const { now, verdict, action } = input;
  const proposal = await deps.store.createProposal({
    schemaVersion: 1,
    id: deps.newId?.() ?? `p-${randomUUID()}`,
    incidentId: input.incident.id,
    action,
    origin: input.origin,
    ...(input.alert ? { alert: input.alert } : {}),
    state: 'proposed',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.policy.approvalTtl).toISOString(),
    verdict,
    history: [],
  });
  await deps.audit.append({
    incidentId: input.incident.id,
    proposalId: proposal.id,
    type: 'proposal.created',
    actor: input.by,
    summary: `${input.origin.type === 'manual' ? 'Requested' : 'Proposed'}: ${describeAction(action)}`,
    data: { action, verdict, origin: input.origin },
  });
  return proposal;
}
