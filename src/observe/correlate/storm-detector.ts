/**
 * Counts what is firing in a sliding window: distinct workloads, distinct pods and alerts. Many failing at
 * once point to a shared cause (a node, the network, a dependency), where restarting each one would be the
 * wrong answer. Pods and alerts count too: 200 crash-looping pods of 5 Deployments is a storm.
 */
export interface StormDetector {
  /** `pod` and `alert` (its fingerprint) are counted when known. */
  record(key: string, at: Date, seen?: { pod?: string | undefined; alert?: string | undefined }): void;
  active(at: Date): boolean;
  /** Keys seen within the window ending at `at`. */
  recentKeys(at: Date): string[];
}

export interface StormThresholds {
  readonly workloads: number;
  readonly pods?: number;
  readonly alerts?: number;
  readonly windowMs: number;
}

export function createStormDetector(options: StormThresholds): StormDetector {
  const keys = new Map<string, number>();
  const pods = new Map<string, number>();
  const alerts = new Map<string, number>();
  const prune = (now: number) => {
    for (const seen of [keys, pods, alerts])
      for (const [key, at] of seen) if (at < now - options.windowMs) seen.delete(key);
  };
  return {
    record(key, at, seen = {}) {
      const t = at.getTime();
      keys.set(key, t);
      if (seen.pod) pods.set(seen.pod, t);
      if (seen.alert) alerts.set(seen.alert, t);
    },
    active(at) {
      prune(at.getTime());
      return (
        keys.size >= options.workloads ||
        pods.size >= (options.pods ?? Number.POSITIVE_INFINITY) ||
        alerts.size >= (options.alerts ?? Number.POSITIVE_INFINITY)
      );
    },
    recentKeys(at) {
      prune(at.getTime());
      return [...keys.keys()];
    },
  };
}
