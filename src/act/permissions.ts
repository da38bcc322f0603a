/** One (API group, resource, verb) triple, as RBAC grants it. Subresources are written `pods/eviction`. */
export interface ApiPermission {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
}

const p = (group: string, resource: string, verb: string): ApiPermission =>
  Object.freeze({ group, resource, verb });

/** Every API call an executor makes names one of these; the RBAC test compares them with deploy/. */
export const P = {
  podGet: p('', 'pods', 'get'),
  podList: p('', 'pods', 'list'),
  podEvict: p('', 'pods/eviction', 'create'),
  configMapGet: p('', 'configmaps', 'get'),
  configMapPatch: p('', 'configmaps', 'patch'),
  deploymentGet: p('apps', 'deployments', 'get'),
  deploymentPatch: p('apps', 'deployments', 'patch'),
  deploymentScaleGet: p('apps', 'deployments/scale', 'get'),
  deploymentScalePatch: p('apps', 'deployments/scale', 'patch'),
  statefulSetGet: p('apps', 'statefulsets', 'get'),
  statefulSetPatch: p('apps', 'statefulsets', 'patch'),
  statefulSetScaleGet: p('apps', 'statefulsets/scale', 'get'),
  statefulSetScalePatch: p('apps', 'statefulsets/scale', 'patch'),
  replicaSetList: p('apps', 'replicasets', 'list'),
} as const;

export function permissionKey(permission: ApiPermission): string {
  return `${permission.group || 'core'}/${permission.resource}:${permission.verb}`;
}
