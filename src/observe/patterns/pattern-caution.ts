import {
  describePattern,
  type Facts,
  patternCoversAt,
  type RecurringPattern,
  suggestWindow,
} from '../../domain/index.ts';

/**
 * The caution for the facts: the first cached pattern of this target that holds at `now`, unless a window
 * (configured, discovered or external: whatever is in the facts) already covers the target now.
 */
export function patternCaution(
  patterns: readonly RecurringPattern[],
  facts: Pick<Facts, 'cluster' | 'namespace' | 'pod' | 'owner' | 'windows'>,
  now: Date,
): Facts['recurringPattern'] {
  const nowMs = now.getTime();
  const covered = facts.windows.some((w) => Date.parse(w.start) <= nowMs && nowMs < Date.parse(w.end));
  if (covered) return undefined;
  const pattern = patterns.find((p) => isTargetOf(p, facts) && patternCoversAt(p, nowMs));
  if (!pattern) return undefined;
  return { pattern, description: describePattern(pattern), suggestedWindow: suggestWindow(pattern) };
}

/**
 * The pattern was seen on this target: the same pod, or the same workload. A pattern of a Deployment's pod
 * names its ReplicaSet (`web-7d9f8c6b5`), which the Deployment `web` still owns after the pod is replaced.
 */
function isTargetOf(
  pattern: RecurringPattern,
  facts: Pick<Facts, 'cluster' | 'namespace' | 'pod' | 'owner'>,
) {
  const { target } = pattern;
  if (target.namespace !== facts.namespace) return false;
  if (target.cluster && target.cluster !== facts.cluster) return false;
  if (target.pod && target.pod === facts.pod?.name) return true;
  const owner = facts.owner;
  if (!target.workload || !owner) return false;
  if (target.workload.kind === owner.kind && target.workload.name === owner.name) return true;
  return (
    target.workload.kind === 'ReplicaSet' &&
    owner.kind === 'Deployment' &&
    /^[a-z0-9]+$/.test(target.workload.name.slice(owner.name.length + 1)) &&
    target.workload.name.startsWith(`${owner.name}-`)
  );
}
