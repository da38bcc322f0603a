import type { ExecutionOutcome, Executor } from '../act/index.ts';
import { budgetsAdmit, ledgerEntryFor, observedRestartEntries, rateBudgets } from '../decide/index.ts';
import type { Action, Actor, Clock, Facts, Policy, Proposal, Verdict } from '../domain/index.ts';
import { BELAY_BOT, describeAction, permitsExecution } from '../domain/index.ts';
import { alreadyMessage } from './already-message.ts';
import type { ApproverCheck } from './approver-check.ts';
import { reconcileInterruptedProposals } from './gate-reconcile.ts';
import { revertThroughGate } from './gate-revert.ts';
import { freshVerdict } from './gate-verdict.ts';
import { issuePermit } from './permit.ts';
import type { AuditLog, StateStore } from './store/index.ts';

export { alreadyMessage } from './already-message.ts';

/** Fresh facts about an action's target; the incident (a proposal's, or the thread asked in) adds its storm. */
export type FactsSource = (
  action: Action,
  context: { readonly incidentId?: string | undefined },
) => Promise<Facts>;

export interface GateDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly facts: FactsSource;
  readonly executor: Executor;
  readonly clock: Clock;
}

export interface GateResult {
  readonly ok: boolean;
  /** For the person who acted: what happened, why, and what to do next. */
  readonly message: string;
  readonly proposal?: Proposal;
  readonly verdict?: Verdict;
  readonly outcome?: ExecutionOutcome;
}

export interface RunRequest {
  readonly by: Actor;
  /** A human approved (a click): suggest and approval verdicts may run; without one only auto may. */
  readonly humanApproval: boolean;
  /** Checked against the fresh verdict, so who may approve is decided by today's facts, not the post's. */
  readonly authorize: (verdict: Verdict) => ApproverCheck | Promise<ApproverCheck>;
}

/**
 * The one path to a cluster write. Every execution and every revert passes here: the proposal is reloaded,
 * policy is decided again with fresh facts (a window may have opened since the message was posted), the
 * person is checked against that verdict, the rate-limit slot is reserved atomically, the approval is a
 * compare-and-set, "execution.started" is audited, and only then is a permit minted for the executor.
 */
export function createExecutionGate(deps: GateDeps) {
  const { policy, store, audit, clock } = deps;
  const reverting = new Set<string>();

  /** When another click on the same proposal got there first: what this click is told instead. */
  function approvalInFlight(proposal: Proposal): GateResult | undefined {
    const current = store.getProposal(proposal.id) ?? proposal;
    const holdsSlot = store.ledger().some((e) => e.proposalId === proposal.id);
    if (current.state === 'proposed' && !holdsSlot) return undefined;
    const message =
      current.state === 'proposed'
        ? 'Someone else is approving this proposal right now; nothing more was done.'
        : alreadyMessage(current);
    return { ok: false, message, proposal: current };
  }

  async function run(proposalId: string, request: RunRequest): Promise<GateResult> {
    const proposal = store.getProposal(proposalId);
    if (!proposal)
      return {
        ok: false,
        message: `There is no proposal ${proposalId}; it may belong to another Belay instance or have been pruned.`,
      };
    if (proposal.state !== 'proposed') return { ok: false, message: alreadyMessage(proposal), proposal };
    const base = { incidentId: proposal.incidentId, proposalId };

    if (Date.parse(proposal.expiresAt) <= clock.now().getTime()) {
      const expired = await store.transition(proposalId, {
        from: 'proposed',
        to: 'expired',
        by: request.by,
        note: 'expired before approval',
      });
      // Only the click that moved it records the expiry; a sweep or another click may have done it already.
      if (expired.ok) {
        await audit.append({
          ...base,
          type: 'proposal.expired',
          actor: request.by,
          summary: `Proposal expired at ${proposal.expiresAt}`,
        });
      }
      return {
        ok: false,
        message: `This proposal expired at ${proposal.expiresAt}, so it was not run. If it is still needed, ask again: /remediate propose ${proposal.action.kind} …`,
        ...(expired.ok ? { proposal: expired.proposal } : { proposal }),
      };
    }

    let checked: Awaited<ReturnType<typeof freshVerdict>>;
    try {
      checked = await freshVerdict(deps, proposal, proposal.action, proposal.origin);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      await audit.append({
        ...base,
        type: 'error',
        actor: request.by,
        summary: 'Could not gather facts before executing',
        data: { error: why },
      });
      return {
        ok: false,
        message: `Belay could not read the current state of the target (${why}), so nothing was run. Try again once the cluster answers.`,
        proposal,
      };
    }
    const { facts, verdict, now } = checked;
    await audit.append({
      ...base,
      type: 'verdict',
      actor: { type: 'system', id: 'policy' },
      summary: verdict.headline,
      data: { verdict, facts: summarizeFacts(facts), stage: 'execution-gate' },
    });

    const allowed = await request.authorize(verdict);
    if (!allowed.ok) {
      await audit.append({
        ...base,
        type: 'approval.refused',
        actor: request.by,
        summary: `Refused: ${allowed.why}`,
        data: { disposition: verdict.disposition, reason: 'not_allowed' },
      });
      return { ok: false, message: `You can't approve this: ${allowed.why}.`, proposal, verdict };
    }
    if (!permitsExecution(verdict, request.humanApproval)) {
      await audit.append({
        ...base,
        type: 'approval.refused',
        actor: request.by,
        summary: `Not run: ${verdict.headline}`,
        data: { disposition: verdict.disposition, reason: 'policy' },
      });
      return { ok: false, message: `Not run. ${verdict.headline}.`, proposal, verdict };
    }

    // Someone else's click on this very proposal already holds its slot: it is being approved right now.
    const busy = approvalInFlight(proposal);
    if (busy) return busy;
    const entry = ledgerEntryFor(proposal.action, facts.owner, proposalId, now);
    const reserved = await store.reserve(entry, (ledger) =>
      budgetsAdmit(
        rateBudgets(
          policy.rateLimits,
          proposal.action,
          facts.owner,
          [...ledger, ...observedRestartEntries(facts, now)],
          now,
        ),
      ),
    );
    if (!reserved) {
      const raced = approvalInFlight(proposal);
      if (raced) return raced;
      await audit.append({
        ...base,
        type: 'approval.refused',
        actor: request.by,
        summary: 'Rate limit reached at the moment of execution',
        data: { reason: 'rate_limit' },
      });
      return {
        ok: false,
        message:
          'Not run: another action took the last rate-limit slot a moment ago. Look at /remediate status, and ask again when the slot frees.',
        proposal,
        verdict,
      };
    }

    const approved = await store.transition(proposalId, {
      from: 'proposed',
      to: 'approved',
      by: request.by,
      patch: { verdict },
    });
    if (!approved.ok) {
      await store.release(proposalId);
      const current = store.getProposal(proposalId);
      return {
        ok: false,
        message: current ? alreadyMessage(current) : 'This proposal is gone.',
        ...(current ? { proposal: current } : {}),
      };
    }
    if (verdict.noveltyKey && request.humanApproval) await store.recordApproved(verdict.noveltyKey);
    await audit.append({
      ...base,
      type: 'proposal.approved',
      actor: request.by,
      summary: `Approved: ${describeAction(proposal.action)}`,
      data: { disposition: verdict.disposition },
    });
    return executeApproved(approved.proposal, verdict, request.by);
  }

  async function executeApproved(proposal: Proposal, verdict: Verdict, by: Actor): Promise<GateResult> {
    const base = { incidentId: proposal.incidentId, proposalId: proposal.id };
    // Executing first, then the audit record, then the permit: if Belay dies in between, the restart finds
    // "executing" and reconciles it as interrupted, and no "started" record is written for a run that lost
    // its compare-and-set.
    const executing = await store.transition(proposal.id, { from: 'approved', to: 'executing', by });
    if (!executing.ok) {
      return { ok: false, message: alreadyMessage(store.getProposal(proposal.id) ?? proposal), proposal };
    }
    await audit.append({
      ...base,
      type: 'execution.started',
      actor: by,
      summary: `Executing: ${describeAction(proposal.action)}`,
      data: { action: proposal.action },
    });
    const permit = issuePermit({
      proposalId: proposal.id,
      incidentId: proposal.incidentId,
      action: proposal.action,
      verdict,
      dryRunOnly: false,
      issuedAt: clock.now().toISOString(),
    });
    const outcome = await deps.executor.execute(permit);
    const succeeded = outcome.status === 'succeeded';
    if (outcome.status === 'refused') await store.release(proposal.id);
    const done = await store.transition(proposal.id, {
      from: 'executing',
      to: succeeded ? 'succeeded' : 'failed',
      by: BELAY_BOT,
      patch: {
        outcome: { ok: succeeded, message: outcome.message },
        ...(outcome.revert ? { revert: outcome.revert } : {}),
      },
    });
    await audit.append({
      ...base,
      type: 'execution.finished',
      actor: BELAY_BOT,
      summary: `${outcome.status}: ${outcome.message}`,
      data: { outcome },
    });
    return {
      ok: succeeded,
      message: outcome.message,
      outcome,
      verdict,
      ...(done.ok ? { proposal: done.proposal } : {}),
    };
  }

  /** The inverse of a succeeded action, through the same checks (rate limits aside: an undo is never throttled). */
  const revert = (proposalId: string, request: Omit<RunRequest, 'humanApproval'>) =>
    revertThroughGate(deps, reverting, proposalId, request);

  /** After a crash: whatever was executing is marked failed and said so, never silently retried. */
  const reconcileInterrupted = () => reconcileInterruptedProposals(deps);

  return { run, revert, reconcileInterrupted };
}
export type ExecutionGate = ReturnType<typeof createExecutionGate>;

/** What the audit keeps of the facts: enough to see why, without megabytes of samples. */
function summarizeFacts(facts: Facts) {
  return {
    ...facts,
    metrics: facts.metrics.map((m) => ({
      name: m.name,
      samples: m.samples.length,
      latest: m.samples.at(-1),
    })),
  };
}
