import type { Proposal } from '../domain/index.ts';
import type { GateDeps } from './execution-gate.ts';

/**
 * After a crash: whatever was executing is marked failed and said so, and whatever was approved but never
 * ran expires; nothing is silently retried. Returns the proposals it moved, for their cards.
 */
export async function reconcileInterruptedProposals(
  deps: Pick<GateDeps, 'store' | 'audit'>,
): Promise<Proposal[]> {
  const { store, audit } = deps;
  const interrupted = store.listProposals({ states: ['executing', 'approved'] });
  const reconciled: Proposal[] = [];
  for (const p of interrupted) {
    const note =
      p.state === 'executing'
        ? 'Belay stopped while this was executing; it was not retried. Check the target before acting again.'
        : 'Belay stopped after this was approved and before it ran; it was not run. Ask again if it is still needed.';
    const to = p.state === 'executing' ? 'failed' : 'expired';
    // An approval that never ran gives its rate-limit slot back; an interrupted execution keeps it.
    if (p.state === 'approved') await store.release(p.id);
    const done = await store.transition(p.id, {
      from: p.state,
      to,
      by: { type: 'system', id: 'reconcile' },
      note,
      patch: { outcome: { ok: false, message: note } },
    });
    if (!done.ok) continue;
    await audit.append({
      incidentId: p.incidentId,
      proposalId: p.id,
      type: p.state === 'executing' ? 'execution.finished' : 'proposal.expired',
      actor: { type: 'system', id: 'reconcile' },
      summary: note,
      data: { interruptedIn: p.state },
    });
    reconciled.push(done.proposal);
  }
  return reconciled;
}
