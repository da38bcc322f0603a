import { describePattern, patternCoversAt, type RecurringPattern } from '../../domain/index.ts';
import type { PatternFlag, ReplayTarget } from './replay-types.ts';

/** The pattern a target was inside at an instant: same namespace, same pod (or workload), the time of day. */
export function patternLookup(
  patterns: readonly RecurringPattern[],
): (target: ReplayTarget, atMs: number) => PatternFlag | undefined {
  return (target, atMs) => {
    const found = patterns.find((p) => isAbout(p, target) && patternCoversAt(p, atMs));
    if (!found) return undefined;
    return {
      description: describePattern(found),
      ...(found.coincidingCronJob ? { cronJob: { ...found.coincidingCronJob } } : {}),
    };
  };
}

function isAbout(pattern: RecurringPattern, target: ReplayTarget): boolean {
  const t = pattern.target;
  if (t.cluster !== undefined && t.cluster !== target.cluster) return false;
  if (t.namespace !== target.namespace) return false;
  if (t.pod !== undefined) return t.pod === target.pod;
  return (
    t.workload !== undefined &&
    t.workload.kind === target.workload?.kind &&
    t.workload.name === target.workload.name
  );
}
