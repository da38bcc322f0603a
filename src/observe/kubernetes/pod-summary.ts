import type { V1ContainerStateTerminated, V1Pod } from '@kubernetes/client-node';
import { parseQuantity } from '../../domain/index.ts';

export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function restartCount(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** When a container of the pod last ended (OOMKilled, crash): Kubernetes' own restart history. */
export function lastRestartAt(pod: V1Pod): string | undefined {
  const times = (pod.status?.containerStatuses ?? [])
    .map((c) => c.lastState?.terminated?.finishedAt)
    .filter((t): t is Date => t !== undefined && t !== null)
    .map((t) => new Date(t).getTime());
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}

/**
 * The container that ended most recently and why (`OOMKilled`, `Error`): a container that is terminated now
 * counts, else its last terminated state. Undefined when no container has ended.
 */
export function lastTermination(pod: V1Pod): { container: string; reason: string } | undefined {
  let latest: { container: string; reason: string; at: number } | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    for (const ended of [status.state?.terminated, status.lastState?.terminated]) {
      if (!ended?.reason) continue;
      const at = endedAt(ended);
      if (!latest || at > latest.at) latest = { container: status.name, reason: ended.reason, at };
    }
  }
  return latest ? { container: latest.container, reason: latest.reason } : undefined;
}

function endedAt(ended: V1ContainerStateTerminated): number {
  const at = ended.finishedAt ? new Date(ended.finishedAt).getTime() : Number.NaN;
  // A termination without a time still happened; it ranks below any dated one.
  return Number.isFinite(at) ? at : Number.NEGATIVE_INFINITY;
}

/**
 * The memory limit in bytes of `container`, or of the pod's largest-limited container when none is named
 * or it has no limit. Undefined when no container has one (it may then use the node's memory).
 */
export function memoryLimitBytes(pod: V1Pod, container?: string): number | undefined {
  const limits = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    bytes: c.resources?.limits?.memory ? parseQuantity(String(c.resources.limits.memory)) : undefined,
  }));
  const named = limits.find((l) => l.name === container)?.bytes;
  if (named !== undefined && named > 0) return named;
  const all = limits.map((l) => l.bytes).filter((b): b is number => b !== undefined && b > 0);
  return all.length > 0 ? Math.max(...all) : undefined;
}

/** The few fields an engineer scans a pod list for. */
export function podSummary(pod: V1Pod) {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find(Boolean);
  const terminated = statuses.map((c) => c.lastState?.terminated).find(Boolean);
  return {
    name: pod.metadata?.name,
    phase: pod.status?.phase,
    ready: `${statuses.filter((c) => c.ready).length}/${pod.spec?.containers.length ?? statuses.length}`,
    restarts: restartCount(pod),
    ...(waiting ? { waiting } : {}),
    ...(terminated
      ? {
          lastTermination: {
            reason: terminated.reason,
            exitCode: terminated.exitCode,
            finishedAt: terminated.finishedAt ? new Date(terminated.finishedAt).toISOString() : undefined,
          },
        }
      : {}),
  };
}
