import { clusterNameSchema, namespaceSchema, objectNameSchema } from '../domain/index.ts';
import type { TargetRef } from './service.ts';

const KIND_WORDS: Record<string, NonNullable<TargetRef['kind']>> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  configmap: 'ConfigMap',
  configmaps: 'ConfigMap',
  cm: 'ConfigMap',
};

export const TARGET_FORMS = '`namespace/name`, `namespace/kind/name` or `cluster:namespace/name`';

/**
 * A target as an engineer types it: `databases/postgres-0`, `shop/deployment/web`, `prod:shop/web`.
 * Names are checked against Kubernetes' own naming rules here, so a typo is answered at once and a hostile
 * string never reaches an API path.
 */
export function parseTarget(text: string): { ok: true; target: TargetRef } | { ok: false; message: string } {
  const colon = text.indexOf(':');
  const cluster = colon >= 0 ? text.slice(0, colon) : undefined;
  const path = colon >= 0 ? text.slice(colon + 1) : text;
  const parts = path.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return { ok: false, message: `"${clip(text)}" is not a target; write it as ${TARGET_FORMS}.` };
  }
  if (cluster !== undefined && !clusterNameSchema.safeParse(cluster).success) {
    return { ok: false, message: `"${clip(cluster)}" is not a cluster (kube context) name.` };
  }
  const [namespace = '', second = '', third] = parts;
  if (!namespaceSchema.safeParse(namespace).success) {
    return {
      ok: false,
      message: `"${clip(namespace)}" is not a namespace name (lower-case letters, digits and "-").`,
    };
  }
  let kind: TargetRef['kind'];
  if (third !== undefined) {
    kind = KIND_WORDS[second.toLowerCase()];
    if (!kind) {
      return {
        ok: false,
        message: `"${clip(second)}" is not a kind Belay acts on; use pod, deployment, statefulset or configmap.`,
      };
    }
  }
  const name = third ?? second;
  if (!objectNameSchema.safeParse(name).success) {
    return {
      ok: false,
      message: `"${clip(name)}" is not a Kubernetes object name (lower-case letters, digits, "-" and ".").`,
    };
  }
  return {
    ok: true,
    target: { ...(cluster !== undefined ? { cluster } : {}), namespace, ...(kind ? { kind } : {}), name },
  };
}

/** Echoing a hostile 10 kB token back would only bury the message. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
