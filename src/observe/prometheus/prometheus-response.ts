import { z } from 'zod';

// protocols.md §6: every answer is an envelope; sample values are strings ("NaN" and "+Inf" included)
// because JSON has no way to write them as numbers.
const sample = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

const vector = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: labels, value: sample })),
});
const matrix = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: labels, values: z.array(sample) })),
});
const scalar = z.object({ resultType: z.literal('scalar'), result: sample });
const string = z.object({ resultType: z.literal('string'), result: sample });

export const queryDataSchema = z.discriminatedUnion('resultType', [vector, matrix, scalar, string]);
export type QueryData = z.infer<typeof queryDataSchema>;
export type VectorData = z.infer<typeof vector>;
export type MatrixData = z.infer<typeof matrix>;

export const envelopeSchema = z.union([
  z.object({
    status: z.literal('success'),
    data: queryDataSchema,
    warnings: z.array(z.string()).optional(),
    infos: z.array(z.string()).optional(),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string().optional(),
    error: z.string().optional(),
  }),
]);

/** `"6.2e9"` → 6200000000; `"NaN"`, `"+Inf"` and `"-Inf"` become the JavaScript values they name. */
export function sampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
