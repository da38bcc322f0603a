import type { z } from 'zod';
import {
  type Actor,
  canTransition,
  type Proposal,
  type ProposalState,
  proposalSchema,
  type transitionRecordSchema,
  type Verdict,
} from '../../domain/index.ts';

export type TransitionRecord = z.infer<typeof transitionRecordSchema>;

export interface TransitionRequest {
  /** The state(s) the caller believes the proposal is in; anything else is `wrong-state`. */
  from: ProposalState | readonly ProposalState[];
  to: ProposalState;
  by: Actor;
  note?: string;
  patch?: { revert?: Proposal['revert']; outcome?: Proposal['outcome']; verdict?: Verdict };
}

export type TransitionResult =
  | { ok: true; proposal: Proposal }
  | {
      ok: false;
      reason: 'not-found' | 'wrong-state' | 'illegal';
      current?: ProposalState;
      /** How it got to its current state: who, when ("already approved by U123 at 02:19"). */
      last?: TransitionRecord;
    };

/**
 * The compare-and-set decision, pure: the proposal must be in one of `from`, and the state machine must
 * allow current → to. Returns the next proposal (a new object) or why not.
 */
export function applyTransition(
  proposal: Proposal | undefined,
  request: TransitionRequest,
  at: string,
): TransitionResult {
  if (!proposal) return { ok: false, reason: 'not-found' };
  const current = proposal.state;
  const last = proposal.history.at(-1);
  const from: readonly ProposalState[] = typeof request.from === 'string' ? [request.from] : request.from;
  if (!from.includes(current))
    return { ok: false, reason: 'wrong-state', current, ...(last ? { last } : {}) };
  if (!canTransition(current, request.to)) {
    return { ok: false, reason: 'illegal', current, ...(last ? { last } : {}) };
  }
  const record: TransitionRecord = {
    from: current,
    to: request.to,
    at,
    by: request.by,
    ...(request.note === undefined ? {} : { note: request.note }),
  };
  const next = proposalSchema.parse({
    ...proposal,
    ...request.patch,
    state: request.to,
    updatedAt: at,
    history: [...proposal.history, record],
  });
  return { ok: true, proposal: next };
}
