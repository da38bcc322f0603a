import { decide } from '../decide/index.ts';
import type { Action, Proposal } from '../domain/index.ts';
import type { GateDeps } from './execution-gate.ts';

/** Policy decided again on facts gathered now: what every execution and revert is judged on at the click. */
export async function freshVerdict(
  deps: Pick<GateDeps, 'policy' | 'facts' | 'clock'>,
  proposal: Proposal,
  action: Action,
  origin: Proposal['origin'],
) {
  const facts = await deps.facts(action, proposal);
  const now = deps.clock.now();
  const verdict = decide(
    deps.policy,
    { request: action, origin, ...(proposal.alert ? { alert: proposal.alert } : {}) },
    facts,
    now,
  );
  return { facts, verdict, now };
}
