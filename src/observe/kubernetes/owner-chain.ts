import type { V1OwnerReference } from '@kubernetes/client-node';
import { WORKLOAD_KINDS, type WorkloadKind, type WorkloadRef } from '../../domain/index.ts';
import type { KubeReader } from '../../kube/index.ts';

const KNOWN = new Set<string>(WORKLOAD_KINDS);

/** Owners already looked up in one tool run, so 50 pods of one ReplicaSet cost one GET. */
export type OwnerCache = Map<string, V1OwnerReference | null>;

function controllerOf(refs: readonly V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return refs?.find((r) => r.controller);
}

/**
 * Follows controller references to the top workload: pod → ReplicaSet → Deployment, pod → Job → CronJob.
 * A ReplicaSet or Job that no one owns is itself the top.
 */
export async function resolveTopOwner(
  reader: KubeReader,
  namespace: string,
  ownerReferences: readonly V1OwnerReference[] | undefined,
  cache: OwnerCache = new Map(),
): Promise<WorkloadRef | undefined> {
  let ref = controllerOf(ownerReferences);
  for (let depth = 0; ref && depth < 3; depth++) {
    if (ref.kind !== 'ReplicaSet' && ref.kind !== 'Job') break;
    const key = `${ref.kind}/${ref.name}`;
    let parent = cache.get(key);
    if (parent === undefined) {
      const owner =
        ref.kind === 'ReplicaSet'
          ? await reader.get('ReplicaSet', namespace, ref.name)
          : await reader.get('Job', namespace, ref.name);
      parent = controllerOf(owner.metadata?.ownerReferences) ?? null;
      cache.set(key, parent);
    }
    if (!parent) break;
    ref = parent;
  }
  if (!ref || !KNOWN.has(ref.kind)) return undefined;
  return { kind: ref.kind as WorkloadKind, name: ref.name };
}
