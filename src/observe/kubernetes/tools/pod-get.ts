import { z } from 'zod';
import { namespaceSchema, objectNameSchema } from '../../../domain/index.ts';
import { resolveTopOwner } from '../owner-chain.ts';
import { podSummary } from '../pod-summary.ts';
import { recentEvents } from './events-list.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z.object({ namespace: namespaceSchema, name: objectNameSchema }).strict();

export function podGet(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'pod_get',
    description:
      'One pod: conditions, containers (image, state, restarts, resources), node, owner, recent events.',
    input,
    async run({ namespace, name }, env) {
      const pod = await env.reader.get('Pod', namespace, name);
      const owner = await resolveTopOwner(env.reader, namespace, pod.metadata?.ownerReferences);
      const statuses = new Map((pod.status?.containerStatuses ?? []).map((c) => [c.name, c]));
      const events = await recentEvents(env, namespace, 'Pod', name, 10);
      return {
        data: {
          ...podSummary(pod),
          namespace,
          node: pod.spec?.nodeName,
          owner: owner ? `${owner.kind}/${owner.name}` : undefined,
          conditions: (pod.status?.conditions ?? []).map((c) => ({
            type: c.type,
            status: c.status,
            reason: c.reason,
          })),
          containers: (pod.spec?.containers ?? []).map((c) => {
            const s = statuses.get(c.name);
            const state = s?.state?.waiting
              ? `waiting: ${s.state.waiting.reason}`
              : s?.state?.terminated
                ? `terminated: ${s.state.terminated.reason}`
                : s?.state?.running
                  ? 'running'
                  : 'unknown';
            return {
              name: c.name,
              image: c.image,
              ready: s?.ready ?? false,
              restarts: s?.restartCount ?? 0,
              state,
              lastTermination: s?.lastState?.terminated
                ? { reason: s.lastState.terminated.reason, exitCode: s.lastState.terminated.exitCode }
                : undefined,
              requests: c.resources?.requests,
              limits: c.resources?.limits,
            };
          }),
          events: events.items,
        },
        ...(events.truncated ? { truncated: events.truncated } : {}),
      };
    },
  });
}
