import { z } from 'zod';
import { dispositionSchema, factsSchema, parseDuration } from '../domain/index.ts';

/**
 * A facts snapshot as a file holds it: the Facts shape, except that metric samples and ledger times may be
 * written relative to the simulated instant (`-90s`), so one snapshot serves a replay at any time of day.
 */
export const snapshotSchema = factsSchema.partial({ cluster: true }).extend({
  metrics: z
    .array(
      z.object({
        name: z.string(),
        unit: z.string().optional(),
        samples: z.array(z.object({ at: z.string(), value: z.number() }).strict()),
      }),
    )
    .default([]),
});
export type Snapshot = z.input<typeof snapshotSchema>;

/** A replay: steps run in order, each an alert or a manual request, with the verdict expected of it. */
export const scenarioSchema = z
  .object({
    title: z.string(),
    steps: z
      .array(
        z
          .object({
            title: z.string(),
            at: z.iso.datetime({ offset: true }),
            alert: z.string().optional(),
            request: z.record(z.string(), z.unknown()).optional(),
            requestedBy: z.string().default('U0SIMULATE'),
            facts: z.string(),
            expect: dispositionSchema.optional(),
          })
          .strict()
          .refine(
            (s) => (s.alert === undefined) !== (s.request === undefined),
            'give either `alert` or `request`',
          ),
      )
      .min(1),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

/** `-90s` → 90 s before `at`; an absolute time stays as it is. */
export function resolveInstant(text: string, at: Date): string | undefined {
  if (text.startsWith('-') || text.startsWith('+')) {
    const ms = parseDuration(text.slice(1));
    if (ms === undefined) return undefined;
    return new Date(at.getTime() + (text.startsWith('-') ? -ms : ms)).toISOString();
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
