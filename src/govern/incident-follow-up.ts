// What the pipeline does after a proposal is shown or an incident resolves: run what the policy lets run
// on its own (and revert it when its verification fails, if configured), and withdraw what is still
// pending once the alerts stop.
import { BELAY_BOT, type Incident, type Proposal } from '../domain/index.ts';
import type { ExecutionGate } from './execution-gate.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import type { AuditLog, StateStore } from './store/index.ts';

export interface AutoRunDeps {
  readonly gate: ExecutionGate;
  readonly presenter: IncidentPresenter;
  /** After an auto action whose verification failed, revert it without waiting for a human. */
  readonly autoRevertOnFailedVerification: boolean;
}

/** An `auto` proposal through the gate, its result on the card; a failed verification reverted if allowed. */
export async function runAutomatically(deps: AutoRunDeps, proposal: Proposal): Promise<void> {
  const { gate, presenter } = deps;
  const result = await gate.run(proposal.id, {
    by: BELAY_BOT,
    humanApproval: false,
    authorize: () => ({ ok: true }),
  });
  const done = result.proposal ?? proposal;
  const revertHint = result.ok && done.revert ? ' Revert is one click on the message.' : '';
  await presenter.proposalChanged(
    done,
    result.verdict,
    `${result.ok ? 'Done automatically' : 'Automatic action did not complete'}: ${result.message}${revertHint}`,
  );
  const verificationFailed = result.outcome?.status === 'verification-failed';
  if (verificationFailed && deps.autoRevertOnFailedVerification && done.revert) {
    const reverted = await gate.revert(proposal.id, { by: BELAY_BOT, authorize: () => ({ ok: true }) });
    await presenter.proposalChanged(
      reverted.proposal ?? done,
      reverted.verdict,
      reverted.ok
        ? `Verification failed, so Belay reverted it: ${reverted.message}`
        : `Verification failed and the automatic revert did not complete: ${reverted.message} A human must look now.`,
    );
  }
}

export interface ResolutionDeps {
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly presenter: IncidentPresenter;
}

/** The alerts stopped: audited, every proposal still waiting for a human expires, and the thread says so. */
export async function withdrawOnResolve(deps: ResolutionDeps, incident: Incident): Promise<void> {
  const { store, audit, presenter } = deps;
  await audit.append({
    incidentId: incident.id,
    type: 'incident.resolved',
    actor: BELAY_BOT,
    summary: `Resolved: ${incident.title}`,
  });
  for (const p of store.listProposals({ incidentId: incident.id, states: ['proposed'] })) {
    const done = await store.transition(p.id, {
      from: 'proposed',
      to: 'expired',
      by: BELAY_BOT,
      note: 'the alert resolved',
    });
    if (done.ok) {
      await audit.append({
        incidentId: incident.id,
        proposalId: p.id,
        type: 'proposal.expired',
        actor: BELAY_BOT,
        summary: 'Expired: the alert resolved on its own',
      });
      await presenter.proposalChanged(done.proposal);
    }
  }
  await presenter.line(
    incident.id,
    'Resolved: the alerts stopped firing. Anything still pending was withdrawn.',
  );
}
