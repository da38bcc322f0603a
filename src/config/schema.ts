import { z } from 'zod';
import { durationSchema, policyShape, refinePolicy } from '../domain/index.ts';
import { intakeSectionSchema } from './sections/intake.ts';
import { kubernetesSectionSchema } from './sections/kubernetes.ts';
import { llmSectionSchema } from './sections/llm.ts';
import { lokiSectionSchema } from './sections/loki.ts';
import { mcpSectionSchema } from './sections/mcp.ts';
import { prometheusSectionSchema } from './sections/prometheus.ts';
import { slackSectionSchema } from './sections/slack.ts';

/** Where Belay keeps its state and audit trail (lowdb files on a volume). */
export const storeSectionSchema = z
  .object({
    dir: z.string().min(1).default('.belay'),
    /** Finished proposals and resolved incidents are forgotten from the state file after this long. */
    retention: durationSchema.default(30 * 86_400_000),
  })
  .strict()
  .prefault({});

/**
 * The whole belay.yaml: the policy's keys at the top level, then one key per integration.
 * Each integration owns its section schema in its own file; this file only composes them.
 */
export const configSchema = z
  .object({
    version: z.literal(1),
    ...policyShape,
    store: storeSectionSchema,
    intake: intakeSectionSchema,
    kubernetes: kubernetesSectionSchema,
    llm: llmSectionSchema.optional(),
    prometheus: prometheusSectionSchema.optional(),
    loki: lokiSectionSchema.optional(),
    slack: slackSectionSchema.optional(),
    mcp: mcpSectionSchema.optional(),
  })
  .strict()
  .superRefine(refinePolicy);
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
