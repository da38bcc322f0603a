import { z } from 'zod';

// What the model must hand back through `submit_findings`. Loose where the model is free (words), strict
// on shape; the proposed action stays `unknown` here because classifyActionRequest judges it, not zod alone.

export const SUBMIT_TOOL = 'submit_findings';

export const evidenceItemSchema = z
  .object({
    toolCallId: z.string().min(1).max(100).describe('id of the tool call whose output shows this'),
    excerpt: z.string().max(500).describe('a short excerpt of that output'),
  })
  .strict();

export const findingsSchema = z
  .object({
    summary: z.string().min(1).max(2_000),
    suspectedCause: z
      .object({ text: z.string().min(1).max(1_000), evidence: z.array(evidenceItemSchema).max(8) })
      .strict()
      .nullable(),
    proposal: z
      .object({
        action: z
          .record(z.string(), z.unknown())
          .describe('one catalog action: kind, target and the fields of that kind'),
        rationale: z.string().min(1).max(1_000),
      })
      .strict()
      .nullable(),
    needsHuman: z.string().max(1_000).nullable().describe('why a human must look or act, or null'),
    untrustedQuotes: z.array(z.string().max(500)).max(10).default([]),
  })
  .strict();
export type Findings = z.infer<typeof findingsSchema>;

/** The JSON Schema the model sees for `submit_findings`; self-contained, no $ref, for broad server support. */
export function findingsJsonSchema(): Record<string, unknown> {
  return toolParameters(findingsSchema);
}

/** zod 4's own JSON Schema, as the model's input side reads it, without the $schema line some servers reject. */
export function toolParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}
