import { BELAY_BOT, type Clock, type Proposal, type RuleMode } from '../domain/index.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import type { AuditLog, RuleRecordsStore } from './store/index.ts';

export interface DemotionDeps {
  readonly records: RuleRecordsStore;
  readonly audit: AuditLog;
  readonly presenter: Pick<IncidentPresenter, 'line'>;
  readonly clock: Clock;
  /** The policy file's mode of each rule, by name. */
  readonly fileModes: Readonly<Record<string, RuleMode>>;
}

/** An action a rule ran on its own, with no human approving it. */
export function ranAutomatically(proposal: Proposal): proposal is Proposal & {
  origin: { type: 'rule'; rule: string };
} {
  return proposal.origin.type === 'rule' && proposal.verdict.disposition === 'auto';
}

/**
 * A rule's automatic action failed verification or was reverted: the rule goes back to suggest at once (a
 * human decides each of its actions again), the thread says so, and the audit keeps why. Its record starts
 * afresh from here, so a new promotion needs new evidence.
 */
export async function demoteRule(deps: DemotionDeps, proposal: Proposal, why: string): Promise<boolean> {
  if (!ranAutomatically(proposal)) return false;
  const rule = proposal.origin.rule;
  const current = deps.records.override(rule)?.mode ?? deps.fileModes[rule];
  if (current !== 'auto') return false;
  const at = deps.clock.now().toISOString();
  await deps.records.setMode({
    rule,
    mode: 'suggest',
    previous: current,
    change: 'demoted',
    by: BELAY_BOT,
    at,
    why,
  });
  const line = `Rule ${rule} is demoted to suggest: ${why}. From now on a human decides each of its actions. An operator may promote it again with \`/remediate promote ${rule} auto\` once its record allows.`;
  await deps.audit.append({
    incidentId: proposal.incidentId,
    proposalId: proposal.id,
    type: 'rule.demoted',
    actor: BELAY_BOT,
    summary: `Rule ${rule} demoted from auto to suggest: ${why}`,
    data: { rule, from: current, to: 'suggest', why },
  });
  await deps.presenter.line(proposal.incidentId, line);
  return true;
}
