import type { Facts, Incident, WorkloadRef } from '../domain/index.ts';
import { incidentWorkload } from './candidate.ts';

/** What the findings schema is narrowed to: this incident's own target, as far as code knows it. */
export interface FindingsScope {
  readonly cluster: string;
  readonly namespace: string;
  /** The workload the incident is about; absent when neither the alerts nor the facts name one. */
  readonly workload?: WorkloadRef;
  /** Pods of the incident code has seen; absent or empty: any pod name (the candidate check still judges). */
  readonly pods: readonly string[];
  /** ConfigMaps of this namespace the policy declares safe to change, with their safe keys. */
  readonly configMaps: readonly { readonly name: string; readonly safeKeys: readonly string[] }[];
}

/** The scope of one incident: its cluster and namespace, its workload, its pod, its declared-safe ConfigMaps. */
export function findingsScope(
  incident: Incident,
  facts: Facts,
  safeConfigMaps: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly safeKeys: readonly string[];
  }[],
): FindingsScope {
  // The same workload checkCandidate judges against: a bare-Pod incident whose pod has an owner is the owner's.
  const workload = incidentWorkload(incident, facts);
  return {
    cluster: incident.cluster,
    namespace: incident.namespace,
    ...(workload ? { workload } : {}),
    pods: facts.pod ? [facts.pod.name] : [],
    configMaps: safeConfigMaps
      .filter((c) => c.namespace === incident.namespace)
      .map((c) => ({ name: c.name, safeKeys: c.safeKeys })),
  };
}
