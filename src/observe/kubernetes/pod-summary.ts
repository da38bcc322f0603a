import type { V1Pod } from '@kubernetes/client-node';

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
