import { z } from 'zod';
import { durationSchema } from './duration.ts';

/** The policy's settings for outcomes and promotion (belay.yaml `outcomes:` and `promotion:`). */
export const outcomeSettingsSchema = z
  .object({
    /** The alert behind an action must resolve this soon after it for the action to count as a fix. */
    resolveWithin: durationSchema.default(900_000),
    /** The same alert firing again on the same target this soon after resolving means it was only postponed. */
    returnWithin: durationSchema.default(86_400_000),
  })
  .strict();
export type OutcomeSettings = z.infer<typeof outcomeSettingsSchema>;

export const promotionSettingsSchema = z
  .object({
    /** Days a rule must have run in dry-run before it may be promoted. */
    minDays: z.number().int().min(0).max(365).default(7),
    /** Share (0–1) of the reviewed would-have actions that humans said they would have approved. */
    minAgreement: z.number().min(0).max(1).default(0.9),
  })
  .strict();
export type PromotionSettings = z.infer<typeof promotionSettingsSchema>;
