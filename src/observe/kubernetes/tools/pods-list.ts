import { z } from 'zod';
import { namespaceSchema } from '../../../domain/index.ts';
import { type OwnerCache, resolveTopOwner } from '../owner-chain.ts';
import { isPodReady, podSummary, restartCount } from '../pod-summary.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z
  .object({
    namespace: namespaceSchema,
    labelSelector: z.string().max(1_024).optional().describe('e.g. app=web,tier!=cache'),
  })
  .strict();

export function podsList(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'pods_list',
    description: 'Pods, unhealthy first: phase, ready, restarts, last termination, owning workload.',
    input,
    async run({ namespace, labelSelector }, env) {
      const { items, remaining, complete } = await env.reader.list('Pod', namespace, {
        labelSelector,
        max: env.limits.fetch,
      });
      // Worst first: a page of healthy pods would hide the one the incident is about.
      const sorted = [...items].sort(
        (a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || restartCount(b) - restartCount(a),
      );
      const shown = sorted.slice(0, env.limits.items);
      const cache: OwnerCache = new Map();
      const pods = [];
      for (const pod of shown) {
        const owner = await resolveTopOwner(env.reader, namespace, pod.metadata?.ownerReferences, cache);
        pods.push({ ...podSummary(pod), ...(owner ? { owner: `${owner.kind}/${owner.name}` } : {}) });
      }
      const total = complete ? items.length : remaining !== undefined ? items.length + remaining : undefined;
      const ready = items.filter(isPodReady).length;
      const cut = [
        shown.length < items.length
          ? `showing ${shown.length} of ${total ?? `${items.length}+`} pods (unhealthy first)`
          : '',
        complete
          ? ''
          : `read only the first ${items.length} pods from the API server; narrow with labelSelector`,
      ].filter(Boolean);
      return {
        data: {
          namespace,
          total: total ?? `${items.length}+`,
          readyOfRead: `${ready}/${items.length}`,
          pods,
        },
        ...(cut.length > 0 ? { truncated: cut.join('; ') } : {}),
      };
    },
  });
}
