import { z } from 'zod';
import { labelsSchema } from './names.ts';
import { ruleModeSchema } from './policy.ts';
import { actorSchema } from './proposal.ts';

// What Belay learns about each rule as it runs: the mode an operator promoted it to (or Belay demoted it
// to), the humans' answers to what a dry-run rule would have done, and whether the actions that ran fixed
// anything. The policy file stays the source of every rule; these records only say how far it is trusted.

const instant = z.iso.datetime({ offset: true });

/** The mode a rule runs in instead of the policy file's, and who decided it. */
export const modeOverrideSchema = z
  .object({
    rule: z.string().min(1),
    mode: ruleModeSchema,
    /** The mode it ran in before this change. */
    previous: ruleModeSchema,
    change: z.enum(['promoted', 'demoted']),
    by: actorSchema,
    at: instant,
    why: z.string().max(1_000),
  })
  .strict();
export type ModeOverride = z.infer<typeof modeOverrideSchema>;

/** One action a dry-run rule would have taken, posted with 👍 / 👎, and the answer once someone gave it. */
export const dryRunReviewSchema = z
  .object({
    id: z.string().min(1).max(200),
    rule: z.string().min(1),
    incidentId: z.string().min(1),
    /** The verdict's headline: what it would have done, and why or why not. */
    wouldHave: z.string().max(3_000),
    at: instant,
    /** Who may answer besides the operators: the approvers the would-have verdict named. */
    reviewers: z
      .object({ users: z.array(z.string()), groups: z.array(z.string()) })
      .strict()
      .default({ users: [], groups: [] }),
    answer: z
      .object({ approve: z.boolean(), by: z.string().min(1), at: instant })
      .strict()
      .optional(),
  })
  .strict();
export type DryRunReview = z.infer<typeof dryRunReviewSchema>;

export const OUTCOME_STATUSES = ['pending', 'fixed', 'not-fixed', 'postponed'] as const;
export const outcomeStatusSchema = z.enum(OUTCOME_STATUSES);
export type OutcomeStatus = z.infer<typeof outcomeStatusSchema>;

/** An alert starting or stopping, as Belay saw it (a webhook delivery, or Prometheus' ALERTS series). */
export const alertObservationSchema = z
  .object({ status: z.enum(['firing', 'resolved']), at: instant })
  .strict();
export type AlertObservation = z.infer<typeof alertObservationSchema>;

/** Whether an action that ran fixed what its alert was about, measured after the fact. */
export const actionOutcomeSchema = z
  .object({
    proposalId: z.string().min(1),
    incidentId: z.string().min(1),
    /** The rule that proposed it; absent for the model's, the deterministic checks' and manual requests. */
    rule: z.string().optional(),
    /** "the restart", "the rollback": how the thread names what ran. */
    actionWords: z.string().max(200),
    alert: z
      .object({ name: z.string().min(1), fingerprint: z.string().min(1), labels: labelsSchema })
      .strict(),
    executedAt: instant,
    /** What Belay saw of the alert since (bounded): the input to classifyOutcome. */
    observations: z.array(alertObservationSchema).max(50),
    status: outcomeStatusSchema,
    /** Final once the return window has passed (or it did not fix): nothing more is checked. */
    final: z.boolean(),
    /** The statuses the thread has been told, so each line is posted once. */
    told: z.array(outcomeStatusSchema),
    reverted: z.boolean().default(false),
  })
  .strict();
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;
