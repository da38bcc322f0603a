import type { Labels, NamespaceClass, Policy } from '../domain/index.ts';
import { matchesAnyGlob } from '../domain/index.ts';

/**
 * The class of a namespace: the first class that names it (by glob), then the first whose labels it carries,
 * else the default. Names win over labels so a file entry can always override what a namespace claims.
 */
export function namespaceClassOf(policy: Policy, namespace: string, namespaceLabels: Labels): NamespaceClass {
  const byName = policy.namespaceClasses.find((c) => matchesAnyGlob(namespace, c.namespaces));
  if (byName) return byName;
  const byLabels = policy.namespaceClasses.find(
    (c) => c.labels && Object.entries(c.labels).every(([key, value]) => namespaceLabels[key] === value),
  );
  if (byLabels) return byLabels;
  const fallback = policy.namespaceClasses.find((c) => c.name === policy.defaultNamespaceClass);
  // The schema guarantees the default names a class; this keeps the function total all the same.
  return (
    fallback ?? {
      name: policy.defaultNamespaceClass,
      critical: true,
      namespaces: [],
      approvers: { users: [], groups: [] },
    }
  );
}
