import { z } from 'zod';
import { formatDuration, namespaceSchema, objectNameSchema } from '../../../domain/index.ts';
import { labelSelectorString } from '../../../kube/index.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z.object({ namespace: namespaceSchema, name: objectNameSchema }).strict();
const REVISION = 'deployment.kubernetes.io/revision';

export function rolloutHistory(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'rollout_history',
    description: "A Deployment's revisions, newest first: images, change-cause, age, replicas.",
    input,
    async run({ namespace, name }, env) {
      const d = await env.reader.get('Deployment', namespace, name);
      const { items } = await env.reader.list('ReplicaSet', namespace, {
        labelSelector: labelSelectorString(d.spec?.selector),
        max: env.limits.fetch,
      });
      const now = env.deps.clock.now().getTime();
      const owned = items
        .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid))
        .sort(
          (a, b) =>
            Number(b.metadata?.annotations?.[REVISION] ?? 0) -
            Number(a.metadata?.annotations?.[REVISION] ?? 0),
        );
      const current = d.metadata?.annotations?.[REVISION];
      const revisions = owned.slice(0, env.limits.revisions).map((rs) => {
        const created = rs.metadata?.creationTimestamp
          ? new Date(rs.metadata.creationTimestamp).getTime()
          : undefined;
        const revision = rs.metadata?.annotations?.[REVISION];
        return {
          revision: Number(revision),
          current: revision === current,
          images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image),
          changeCause: env.text(rs.metadata?.annotations?.['kubernetes.io/change-cause']),
          age: created !== undefined ? formatDuration(Math.max(0, now - created)) : undefined,
          replicas: rs.status?.replicas ?? 0,
        };
      });
      return {
        data: { namespace, name, currentRevision: Number(current), revisions },
        ...(owned.length > revisions.length
          ? { truncated: `showing the newest ${revisions.length} of ${owned.length} revisions` }
          : {}),
      };
    },
  });
}
