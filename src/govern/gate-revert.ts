import { type RevertSnapshot, revertSnapshotSchema } from '../act/index.ts';
import { type Action, BELAY_BOT, describeAction } from '../domain/index.ts';
import { alreadyMessage } from './already-message.ts';
import type { GateDeps, GateResult, RunRequest } from './execution-gate.ts';
import { freshVerdict } from './gate-verdict.ts';
import { issuePermit } from './permit.ts';

/**
 * Undo what an executed proposal changed, through the same gate: decided again on fresh facts (a window or
 * a freeze blocks a revert too; a spent rate limit does not), the clicker checked, audited before and after,
 * and refused when the target moved on since Belay acted.
 */
export async function revertThroughGate(
  deps: GateDeps,
  reverting: Set<string>,
  proposalId: string,
  request: Omit<RunRequest, 'humanApproval'>,
): Promise<GateResult> {
  // One revert at a time per proposal: a double click must not run the inverse twice. (One replica holds
  // the store, so an in-process guard is exact; the state moves to reverted only after the inverse ran.)
  if (reverting.has(proposalId)) {
    return {
      ok: false,
      message: 'A revert of this proposal is already running; its result will appear in the thread.',
    };
  }
  reverting.add(proposalId);
  try {
    return await revertOnce(deps, proposalId, request);
  } finally {
    reverting.delete(proposalId);
  }
}

async function revertOnce(
  deps: GateDeps,
  proposalId: string,
  request: Omit<RunRequest, 'humanApproval'>,
): Promise<GateResult> {
  const { store, audit, clock } = deps;
  const proposal = store.getProposal(proposalId);
  if (!proposal) return { ok: false, message: `There is no proposal ${proposalId}.` };
  // A failed action may still have changed something (verification failed after the write): it can be undone.
  if (proposal.state !== 'succeeded' && proposal.state !== 'failed') {
    return { ok: false, message: alreadyMessage(proposal), proposal };
  }
  const snapshot = revertSnapshotSchema.safeParse(proposal.revert);
  if (!snapshot.success) {
    return {
      ok: false,
      message: `${describeAction(proposal.action)} has no recorded way back (a restart cannot be undone), so there is nothing to revert.`,
      proposal,
    };
  }
  const inverse = inverseAction(snapshot.data);
  const base = { incidentId: proposal.incidentId, proposalId };
  let checked: Awaited<ReturnType<typeof freshVerdict>>;
  try {
    checked = await freshVerdict(deps, proposal, inverse, { type: 'manual', user: request.by.id });
  } catch (error) {
    return {
      ok: false,
      message: `Belay could not read the current state of the target (${error instanceof Error ? error.message : String(error)}), so nothing was reverted.`,
      proposal,
    };
  }
  const blocking = checked.verdict.reasons.filter(
    (r) => (r.effect === 'blocked' || r.effect === 'forbidden') && !r.rule.startsWith('rate-limit:'),
  );
  const allowed = await request.authorize(checked.verdict);
  if (!allowed.ok || blocking.length > 0) {
    const why = allowed.ok
      ? blocking.map((r) => r.message).join(' ')
      : `You can't revert this: ${allowed.why}.`;
    await audit.append({
      ...base,
      type: 'approval.refused',
      actor: request.by,
      summary: `Revert refused: ${why}`,
      data: { reason: 'revert_refused' },
    });
    return { ok: false, message: `Not reverted. ${why}`, proposal, verdict: checked.verdict };
  }
  await audit.append({
    ...base,
    type: 'revert.started',
    actor: request.by,
    summary: `Reverting: ${describeAction(inverse)}`,
    data: { snapshot: snapshot.data },
  });
  const permit = issuePermit({
    proposalId,
    incidentId: proposal.incidentId,
    action: inverse,
    verdict: checked.verdict,
    dryRunOnly: false,
    issuedAt: clock.now().toISOString(),
  });
  const outcome = await deps.executor.revert(snapshot.data, permit);
  await audit.append({
    ...base,
    type: 'revert.finished',
    actor: BELAY_BOT,
    summary: `${outcome.status}: ${outcome.message}`,
    data: { outcome },
  });
  if (outcome.reason === 'ChangedSince') {
    // The target moved on: the card's Revert button goes, and the thread says what changed and by whom.
    const superseded = await store.transition(proposalId, {
      from: ['succeeded', 'failed'],
      to: 'superseded',
      by: request.by,
      note: outcome.message,
    });
    return {
      ok: false,
      message: `Not reverted. ${outcome.message}`,
      outcome,
      ...(superseded.ok ? { proposal: superseded.proposal } : { proposal }),
    };
  }
  if (outcome.status !== 'succeeded') return { ok: false, message: outcome.message, outcome, proposal };
  const reverted = await store.transition(proposalId, {
    from: ['succeeded', 'failed'],
    to: 'reverted',
    by: request.by,
    note: outcome.message,
  });
  return {
    ok: true,
    message: outcome.message,
    outcome,
    ...(reverted.ok ? { proposal: reverted.proposal } : { proposal }),
  };
}

function inverseAction(snapshot: RevertSnapshot): Action {
  const target = { cluster: snapshot.cluster, namespace: snapshot.namespace };
  switch (snapshot.type) {
    case 'restore-replicas':
      return {
        kind: 'scale',
        target: { ...target, workloadKind: snapshot.workloadKind, name: snapshot.name },
        replicas: snapshot.replicas,
      };
    case 'restore-revision':
      return {
        kind: 'rollback-deployment',
        target: { ...target, name: snapshot.name },
        toRevision: snapshot.revision,
      };
    case 'restore-values':
      return { kind: 'patch-configmap', target: { ...target, name: snapshot.name }, data: snapshot.values };
  }
}
