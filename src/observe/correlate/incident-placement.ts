import {
  type Alert,
  alertSubject,
  DEFAULT_CLUSTER,
  namespaceSchema,
  objectNameSchema,
  WORKLOAD_KINDS,
  type WorkloadRef,
} from '../../domain/index.ts';

/** Where an alert belongs: the incident key and what the key is made of. */
export interface Placement {
  readonly key: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly workload: WorkloadRef | undefined;
}

// Kubernetes' SafeEncodeString alphabet: ReplicaSet hashes and generated pod suffixes use only these.
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const REPLICASET_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const REPLICASET = new RegExp(`^(.+)-${SAFE}{6,10}$`);
const STATEFULSET_POD = /^(.+)-(\d{1,5})$/;

/**
 * Alerts are grouped by cluster + namespace + top-level workload, so the pods of one ReplicaSet are one
 * incident. Alerts with no namespace cannot be tied to anything Belay may act on; they get a reason.
 */
export function placeAlert(alert: Alert, defaultCluster = DEFAULT_CLUSTER): Placement | { reason: string } {
  const cluster = alert.labels.cluster || defaultCluster;
  const namespace = alert.labels.namespace;
  if (!namespace)
    return { reason: 'the alert has no namespace label, so Belay cannot tell what it is about' };
  if (!namespaceSchema.safeParse(namespace).success)
    return { reason: `namespace label "${namespace.slice(0, 80)}" is not a Kubernetes namespace name` };
  const workload = workloadOf(alert);
  const key = workload
    ? `${cluster}/${namespace}/${workload.kind}/${workload.name}`
    : `${cluster}/${namespace}/alert/${alert.name}`;
  return { key, cluster, namespace, workload };
}

export function workloadOf(alert: Alert): WorkloadRef | undefined {
  const l = alert.labels;
  const labelled = alertSubject(alert).workload;
  const candidates: (WorkloadRef | undefined)[] = [
    labelled ? fromOwner(labelled.kind, labelled.name) : undefined,
    l.replicaset ? fromOwner('ReplicaSet', l.replicaset) : undefined,
    l.owner_kind && l.owner_name ? fromOwner(l.owner_kind, l.owner_name) : undefined,
    l.pod ? fromPodName(l.pod) : undefined,
  ];
  return candidates.find((c) => c !== undefined);
}

/** A ReplicaSet named like a Deployment's (`web-7c9f8d6b5`) stands for that Deployment. */
function fromOwner(kindText: string, name: string): WorkloadRef | undefined {
  const kind = WORKLOAD_KINDS.find((k) => k.toLowerCase() === kindText.toLowerCase());
  if (!kind) return undefined;
  if (kind === 'ReplicaSet') {
    const m = REPLICASET.exec(name);
    return m ? valid('Deployment', m[1] as string) : valid('ReplicaSet', name);
  }
  return valid(kind, name);
}

function fromPodName(pod: string): WorkloadRef | undefined {
  const rs = REPLICASET_POD.exec(pod);
  if (rs) return valid('Deployment', rs[1] as string);
  const sts = STATEFULSET_POD.exec(pod);
  if (sts) return valid('StatefulSet', sts[1] as string);
  return valid('Pod', pod);
}

function valid(kind: WorkloadRef['kind'], name: string): WorkloadRef | undefined {
  return objectNameSchema.safeParse(name).success ? { kind, name } : undefined;
}
