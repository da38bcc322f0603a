import type { CoreV1Event } from '@kubernetes/client-node';
import { z } from 'zod';
import { namespaceSchema, objectNameSchema } from '../../../domain/index.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps, ToolEnv } from './tool-deps.ts';

const input = z
  .object({
    namespace: namespaceSchema,
    kind: z
      .enum(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Node'])
      .optional(),
    name: objectNameSchema,
  })
  .strict();

function when(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** Events about one object, newest first, capped and redacted. */
export async function recentEvents(
  env: ToolEnv,
  namespace: string,
  kind: string | undefined,
  name: string,
  cap: number,
) {
  const fieldSelector = [
    `involvedObject.name=${name}`,
    ...(kind ? [`involvedObject.kind=${kind}`] : []),
  ].join(',');
  const { items } = await env.reader.list('Event', namespace, { fieldSelector, max: env.limits.fetch });
  const sorted = [...items].sort((a, b) => when(b) - when(a));
  return {
    items: sorted.slice(0, cap).map((e) => ({
      at: when(e) ? new Date(when(e)).toISOString() : undefined,
      type: e.type,
      reason: e.reason,
      message: env.text(e.message),
      count: e.count,
    })),
    truncated: sorted.length > cap ? `showing the newest ${cap} of ${sorted.length} events` : undefined,
  };
}

export function eventsList(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'events_list',
    description: 'Kubernetes events about one object (a pod by default kind-agnostic), newest first.',
    input,
    async run({ namespace, kind, name }, env) {
      const events = await recentEvents(env, namespace, kind, name, env.limits.events);
      return {
        data: { namespace, object: `${kind ?? '*'}/${name}`, events: events.items },
        ...(events.truncated ? { truncated: events.truncated } : {}),
      };
    },
  });
}
