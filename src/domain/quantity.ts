import { z } from 'zod';

// Metric thresholds are written as Kubernetes quantities (`5Gi`, `512Mi`, `250m`) or SI units (`5GB`),
// because that is how the limits they are compared with are written in the pod spec.
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};
const QUANTITY = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)$/;

/** Parses `5Gi`, `6.2GB`, `250m` or `1e9` into a plain number; undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const factor = SUFFIX[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

export const quantitySchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const parsed = parseQuantity(value);
  if (parsed === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a quantity; write a number or a Kubernetes quantity such as 5Gi, 512Mi or 5GB`,
    });
    return z.NEVER;
  }
  return parsed;
});
