import type { V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../../domain/index.ts';
import type { KubeReader } from '../../kube/index.ts';

/** How long a fleet reading is used before the next storm message reads the clusters again. */
export const FLEET_SIZE_TTL_MS = 5 * 60_000;

/** How much runs in the clusters in scope: what a storm's share is measured against. */
export interface FleetSize {
  readonly pods: number;
  readonly namespaces: number;
  readonly workloads: number;
}

/** The last reading of the fleet, or why there is none. */
export type FleetReading =
  | { readonly known: true; readonly size: FleetSize; readonly at: string }
  | { readonly known: false; readonly reason: string };

/**
 * Counts pods, namespaces and workloads in every cluster through its read-only client: the namespaces, then
 * the pods of each. A pod's workload is its controller (a ReplicaSet's pods count as its Deployment, by
 * the pod-template-hash label); a pod without one is its own workload.
 */
export async function readFleetSize(readers: readonly KubeReader[]): Promise<FleetSize> {
  let pods = 0;
  let namespaces = 0;
  const workloads = new Set<string>();
  for (const [index, reader] of readers.entries()) {
    const listed = await reader.list('Namespace', '');
    for (const ns of listed.items) {
      const name = ns.metadata?.name;
      if (!name) continue;
      namespaces++;
      const inNamespace = await reader.list('Pod', name);
      pods += inNamespace.items.length;
      for (const pod of inNamespace.items) workloads.add(`${index}/${name}/${workloadOf(pod)}`);
    }
  }
  return { pods, namespaces, workloads: workloads.size };
}

function workloadOf(pod: V1Pod): string {
  const owner =
    pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return `Pod/${pod.metadata?.name ?? ''}`;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`))
    return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
  return `${owner.kind}/${owner.name}`;
}

export interface FleetSizeCache {
  /** The last reading, at once; a stale one starts a refresh in the background (never awaited here). */
  current(): FleetReading;
  /** Reads the fleet again; a failure is kept as the reading's reason. Concurrent calls share one read. */
  refresh(): Promise<void>;
}

/**
 * The fleet size, read in the background and cached for `ttlMs`: storm messages read it without waiting,
 * and nothing on the webhook's path lists the cluster.
 */
export function createFleetSizeCache(options: {
  read: () => Promise<FleetSize>;
  clock: Clock;
  ttlMs: number;
}): FleetSizeCache {
  let reading: FleetReading = { known: false, reason: 'the cluster has not been read yet' };
  let readAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  const refresh = () => {
    running ??= (async () => {
      try {
        const size = await options.read();
        reading = { known: true, size, at: options.clock.now().toISOString() };
      } catch (error) {
        // The client's message can carry a whole response body: its first line is enough here.
        const message = (error instanceof Error ? error.message : String(error))
          .split('\n')[0]
          ?.slice(0, 160);
        reading = { known: false, reason: `the cluster could not be read (${message})` };
      } finally {
        readAt = options.clock.now().getTime();
        running = undefined;
      }
    })();
    return running;
  };
  return {
    current() {
      if (options.clock.now().getTime() - readAt >= options.ttlMs) void refresh();
      return reading;
    },
    refresh,
  };
}
