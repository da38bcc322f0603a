import { z } from 'zod';
import { namespaceSchema, objectNameSchema } from '../../../domain/index.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z
  .object({
    namespace: namespaceSchema,
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
    name: objectNameSchema,
  })
  .strict();

export function workloadGet(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'workload_get',
    description: 'A Deployment, StatefulSet or DaemonSet: replicas, rollout state, images, conditions.',
    input,
    async run({ namespace, kind, name }, env) {
      const conditions = (
        list: { type: string; status: string; reason?: string; message?: string }[] | undefined,
      ) =>
        (list ?? []).map((c) => ({
          type: c.type,
          status: c.status,
          reason: c.reason,
          message: env.text(c.message),
        }));
      if (kind === 'DaemonSet') {
        const ds = await env.reader.get('DaemonSet', namespace, name);
        const s = ds.status;
        return {
          data: {
            kind,
            name,
            namespace,
            desired: s?.desiredNumberScheduled,
            ready: s?.numberReady,
            updated: s?.updatedNumberScheduled,
            unavailable: s?.numberUnavailable ?? 0,
            images: (ds.spec?.template.spec?.containers ?? []).map((c) => c.image),
            conditions: conditions(s?.conditions),
          },
        };
      }
      const w =
        kind === 'Deployment'
          ? await env.reader.get('Deployment', namespace, name)
          : await env.reader.get('StatefulSet', namespace, name);
      const s = w.status;
      return {
        data: {
          kind,
          name,
          namespace,
          desired: w.spec?.replicas ?? 1,
          ready: s?.readyReplicas ?? 0,
          updated: s?.updatedReplicas ?? 0,
          available: s?.availableReplicas ?? 0,
          generation: w.metadata?.generation,
          observedGeneration: s?.observedGeneration,
          paused:
            kind === 'Deployment' ? Boolean((w.spec as { paused?: boolean } | undefined)?.paused) : undefined,
          revision: w.metadata?.annotations?.['deployment.kubernetes.io/revision'],
          images: (w.spec?.template.spec?.containers ?? []).map((c) => c.image),
          restartedAt: w.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'],
          conditions: conditions(s?.conditions),
        },
      };
    },
  });
}
