import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/** Ordered from most to least permissive; the verdict takes the strictest that any reason demands. */
export const DISPOSITIONS = ['auto', 'suggest', 'approval', 'blocked', 'forbidden'] as const;
export const dispositionSchema = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof dispositionSchema>;

export const reasonSchema = z
  .object({
    /** The rule, window or limit that produced the reason: `window:postgres-nightly`, `tier:statefulset`. */
    rule: z.string(),
    /** What the reason does to the verdict; `info` only explains. */
    effect: z.enum([...DISPOSITIONS, 'info']),
    message: z.string(),
    /** For a block: when it lifts. */
    until: instant.optional(),
  })
  .strict();
export type Reason = z.infer<typeof reasonSchema>;

export const rateBudgetSchema = z
  .object({
    scope: z.enum(['pod', 'workload', 'namespace', 'cluster']),
    key: z.string(),
    limit: z.number().int().nonnegative(),
    windowMs: z.number().int().positive(),
    used: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative(),
    /** When the oldest counted action leaves the window, freeing a slot. */
    nextSlotAt: instant.optional(),
    /** The most recent counted action, for "restarted at 02:05 by proposal p-…". */
    last: z
      .object({
        at: instant,
        proposalId: z.string(),
        /** A restart Belay did not do (no proposal): what Kubernetes shows of it. */
        description: z.string().max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RateBudget = z.infer<typeof rateBudgetSchema>;

export const approversSchema = z
  .object({
    users: z.array(z.string()),
    groups: z.array(z.string()),
    /** The requester may not approve their own request. */
    twoPerson: z.boolean(),
    namespaceClass: z.string(),
  })
  .strict();
export type Approvers = z.infer<typeof approversSchema>;

export const conditionResultSchema = z
  .object({ condition: z.string(), met: z.boolean(), detail: z.string() })
  .strict();
export type ConditionResult = z.infer<typeof conditionResultSchema>;

export const verdictSchema = z
  .object({
    disposition: dispositionSchema,
    /** A dry-run rule: the disposition is what would have happened; nothing is actionable. */
    dryRun: z.boolean(),
    /** One line for a Slack header: the decisive reason. */
    headline: z.string(),
    reasons: z.array(reasonSchema),
    approvers: approversSchema.optional(),
    rateBudget: z.array(rateBudgetSchema),
    rule: z
      .object({
        name: z.string(),
        mode: z.enum(['dry-run', 'suggest', 'approval', 'auto']),
        applies: z.boolean(),
        conditions: z.array(conditionResultSchema),
      })
      .strict()
      .optional(),
    namespaceClass: z.string(),
    noveltyKey: z.string().optional(),
    decidedAt: instant,
  })
  .strict();
export type Verdict = z.infer<typeof verdictSchema>;

export function stricter(a: Disposition, b: Disposition): Disposition {
  return DISPOSITIONS.indexOf(a) >= DISPOSITIONS.indexOf(b) ? a : b;
}

/** May the gate execute on this verdict, given whether a human has approved? */
export function permitsExecution(verdict: Verdict, approvedByHuman: boolean): boolean {
  if (verdict.dryRun) return false;
  switch (verdict.disposition) {
    case 'auto':
      return true;
    case 'suggest':
    case 'approval':
      return approvedByHuman;
    case 'blocked':
    case 'forbidden':
      return false;
  }
}
