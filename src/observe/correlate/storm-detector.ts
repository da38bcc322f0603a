/**
 * Counts distinct workloads with firing alerts in a sliding window. Many workloads failing at once point to
 * a shared cause (a node, the network, a dependency), where restarting each one would be the wrong answer.
 */
export interface StormDetector {
  record(key: string, at: Date): void;
  active(at: Date): boolean;
  /** Keys seen within the window ending at `at`. */
  recentKeys(at: Date): string[];
}

export function createStormDetector(options: { workloads: number; windowMs: number }): StormDetector {
  const lastSeen = new Map<string, number>();
  const prune = (now: number) => {
    for (const [key, at] of lastSeen) if (at < now - options.windowMs) lastSeen.delete(key);
  };
  return {
    record(key, at) {
      lastSeen.set(key, at.getTime());
    },
    active(at) {
      prune(at.getTime());
      return lastSeen.size >= options.workloads;
    },
    recentKeys(at) {
      prune(at.getTime());
      return [...lastSeen.keys()];
    },
  };
}
