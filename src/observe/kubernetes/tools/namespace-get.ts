import { z } from 'zod';
import { namespaceSchema } from '../../../domain/index.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

// `namespace`, not `name`: orient's scope check keeps an investigation inside its incident's namespace by this key.
const input = z.object({ namespace: namespaceSchema }).strict();

export function namespaceGet(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'namespace_get',
    description: 'A namespace: labels and annotations (owner, criticality), phase.',
    input,
    async run({ namespace: name }, env) {
      const ns = await env.reader.get('Namespace', '', name);
      const annotations = Object.entries(ns.metadata?.annotations ?? {});
      const shown = annotations
        // last-applied-configuration repeats the whole object and can carry secrets; it says nothing new.
        .filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
        .slice(0, env.limits.items);
      return {
        data: {
          name,
          phase: ns.status?.phase,
          labels: ns.metadata?.labels ?? {},
          annotations: Object.fromEntries(shown.map(([k, v]) => [k, env.text(v)])),
        },
        ...(annotations.length - 1 > shown.length
          ? { truncated: `showing ${shown.length} of ${annotations.length} annotations` }
          : {}),
      };
    },
  });
}
