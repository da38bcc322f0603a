import { z } from 'zod';
import { compactSchema } from './compact-schema.ts';
import { findingsActionSchema } from './findings-action.ts';
import type { FindingsScope } from './findings-scope.ts';

// What the model must hand back through `submit_findings`. Loose where the model is free (words), exact
// on shape: the proposal's action is the catalog itself, narrowed to this incident (findings-action.ts).
// Every property is required and "absent" is null, so the same schema serves OpenAI's strict mode.

export const SUBMIT_TOOL = 'submit_findings';

export const evidenceItemSchema = z
  .object({
    toolCallId: z.string().min(1).max(100),
    excerpt: z.string().max(500),
  })
  .strict();

const words = {
  summary: z.string().min(1).max(2_000),
  suspectedCause: z
    .object({ text: z.string().min(1).max(1_000), evidence: z.array(evidenceItemSchema).max(8) })
    .strict()
    .nullable(),
  needsHuman: z.string().max(1_000).nullable(),
  humanAction: z.string().max(500).nullable(),
  untrustedQuotes: z.array(z.string().max(500)).max(10),
};

/** The findings as the model must send them for this incident: the JSON Schema it sees is made from this. */
export function findingsWireSchema(scope: FindingsScope) {
  const action = findingsActionSchema(scope);
  return z
    .object({
      ...words,
      proposal: z
        .object({
          action: action.schema,
          rationale: z.string().min(1).max(1_000),
        })
        .strict()
        .nullable(),
    })
    .strict()
    .transform((wire) => ({
      ...wire,
      proposal: wire.proposal ? { ...wire.proposal, action: action.toDomain(wire.proposal.action) } : null,
    }));
}

/** Findings as the orienter reads them: the action in the domain's own shape, for checkCandidate to judge. */
export type Findings = z.infer<ReturnType<typeof findingsWireSchema>>;

/** The JSON Schema the model sees for `submit_findings`; self-contained, no $ref, for broad server support. */
export function findingsJsonSchema(scope: FindingsScope): Record<string, unknown> {
  return toolParameters(findingsWireSchema(scope));
}

/**
 * zod 4's own JSON Schema, as the model's input side reads it, without the $schema line some servers
 * reject, and without the ±2^53 bounds zod gives every integer: they say nothing and cost tokens each call.
 * Compacted (compact-schema.ts): the zod schema still validates what comes back.
 */
export function toolParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    },
  }) as Record<string, unknown>;
  return compactSchema(rest) as Record<string, unknown>;
}

/** Parses a model's findings (a tool call's arguments or a JSON answer), or says what is wrong, briefly. */
export function parseFindings(
  text: string,
  scope: FindingsScope,
): { ok: true; value: Findings } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  const parsed = findingsWireSchema(scope).safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: describeIssues(parsed.error.issues, []).slice(0, 5).join('; ') };
}

/**
 * zod's issues as a model can act on them. A union (the catalog) fails as a whole; the branch whose `kind`
 * matched says what is really wrong, so the repair turn quotes that rather than "Invalid input".
 */
function describeIssues(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.filter((e) => !e.some((i) => i.path.join('.') === 'kind'));
      if (branches.length === 1 && branches[0]) return describeIssues(branches[0], path);
      if (branches.length === 0) return [`${path.join('.')}.kind: not a catalog action this incident allows`];
    }
    return [`${path.join('.') || '(findings)'}: ${issue.message}`];
  });
}
