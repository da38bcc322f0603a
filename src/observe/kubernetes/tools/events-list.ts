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
    /** Without a name: the namespace's events. */
    name: objectNameSchema.optional(),
  })
  .strict();

function when(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** Events about one object (or, without a name, the namespace), newest first, capped and redacted. */
export async function recentEvents(
  env: ToolEnv,
  namespace: string,
  kind: string | undefined,
  name: string | undefined,
  cap: number,
) {
  const parts = [
    ...(name ? [`involvedObject.name=${name}`] : []),
    ...(kind ? [`involvedObject.kind=${kind}`] : []),
  ];
  const fieldSelector = parts.length > 0 ? parts.join(',') : undefined;
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
    description: 'Events, newest first: of one object (name, kind) or of the whole namespace.',
    input,
    async run({ namespace, kind, name }, env) {
      const events = await recentEvents(env, namespace, kind, name, env.limits.events);
      return {
        data: { namespace, object: name ? `${kind ?? '*'}/${name}` : undefined, events: events.items },
        ...(events.truncated ? { truncated: events.truncated } : {}),
      };
    },
  });
}
