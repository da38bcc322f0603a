import { z } from 'zod';

// Durations are written the way Prometheus and Alertmanager write them (`90s`, `45m`, `1h30m`, `7d`),
// so an operator can copy a `for:` clause straight from an alert rule.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** Parses `1h30m` into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/** Formats milliseconds the way an on-call engineer says it: `45m`, `1h30m`, `2d`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || `${ms}ms`;
}

/** A duration field: `45m` in the file, milliseconds in the program. */
export const durationSchema = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a duration; write it like 90s, 45m, 1h30m or 7d`,
      });
      return z.NEVER;
    }
    return ms;
  });
