import { z } from 'zod';
import { actionSchema } from './action.ts';
import { alertSchema } from './alert.ts';
import { verdictSchema } from './verdict.ts';

const instant = z.iso.datetime({ offset: true });

export const PROPOSAL_STATES = [
  'proposed',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'reverted',
  /** Someone changed the target after Belay: its revert would undo their change, so there is none. */
  'superseded',
] as const;
export const proposalStateSchema = z.enum(PROPOSAL_STATES);
export type ProposalState = z.infer<typeof proposalStateSchema>;

/** The only moves a proposal can make. Anything else is refused by the store's compare-and-set. */
export const TRANSITIONS: { readonly [S in ProposalState]: readonly ProposalState[] } = {
  proposed: ['approved', 'rejected', 'expired', 'executing'],
  approved: ['executing', 'expired'],
  executing: ['succeeded', 'failed'],
  succeeded: ['reverted', 'superseded'],
  // A failed action may still have changed something (its verification failed): it can be reverted.
  failed: ['reverted', 'superseded'],
  rejected: [],
  expired: [],
  reverted: [],
  superseded: [],
};

export function canTransition(from: ProposalState, to: ProposalState): boolean {
  return TRANSITIONS[from].includes(to);
}

export const originSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('rule'), rule: z.string() }).strict(),
  z.object({ type: z.literal('model'), promptVersion: z.string() }).strict(),
  z.object({ type: z.literal('manual'), user: z.string() }).strict(),
  z.object({ type: z.literal('deterministic'), rule: z.string() }).strict(),
]);
export type Origin = z.infer<typeof originSchema>;

export const actorSchema = z
  .object({ type: z.enum(['user', 'bot', 'model', 'system']), id: z.string() })
  .strict();
export type Actor = z.infer<typeof actorSchema>;
/** Belay itself, as the actor of what it does on its own (audit records, automatic transitions). */
export const BELAY_BOT = { type: 'bot', id: 'belay' } as const satisfies Actor;

export const transitionRecordSchema = z
  .object({
    from: proposalStateSchema,
    to: proposalStateSchema,
    at: instant,
    by: actorSchema,
    note: z.string().optional(),
  })
  .strict();

export const proposalSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1),
    incidentId: z.string().min(1),
    action: actionSchema,
    origin: originSchema,
    /** The alert behind a rule's proposal: its conditions are evaluated again, on fresh facts, at the click. */
    alert: alertSchema.optional(),
    state: proposalStateSchema,
    createdAt: instant,
    updatedAt: instant,
    expiresAt: instant,
    /** The verdict when it was proposed; the gate decides again, with fresh facts, before executing. */
    verdict: verdictSchema,
    history: z.array(transitionRecordSchema),
    /** What the executor recorded so a revert can restore it. */
    revert: z.record(z.string(), z.unknown()).optional(),
    outcome: z.object({ ok: z.boolean(), message: z.string() }).strict().optional(),
  })
  .strict();
export type Proposal = z.infer<typeof proposalSchema>;
