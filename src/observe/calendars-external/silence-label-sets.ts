import { type Facts, type Labels, WORKLOAD_LABELS } from '../../domain/index.ts';

/** What a silence is tested against for one target: the labels of alerts that could name it. */
export type SilenceSubject = Pick<Facts, 'cluster' | 'namespace' | 'pod' | 'owner'> & {
  /** Labels of every alert in the proposal's incident, as Alertmanager saw them. */
  readonly alertLabels?: readonly Labels[];
};

/**
 * The label sets a silence is matched against: every alert of the incident, and the target itself named
 * the way kube-state-metrics and the usual alert rules name it (`namespace`, `pod`, `container`,
 * `deployment`/`statefulset`/`daemonset`/`job_name`, `workload`, `cluster`). A silence written for any
 * alert about this target therefore covers the target, whichever alert led to the proposal.
 */
export function silenceLabelSets(subject: SilenceSubject): Labels[] {
  const identity: Labels = { cluster: subject.cluster, namespace: subject.namespace };
  const owner = subject.owner;
  if (owner) {
    const label = WORKLOAD_LABELS.find(([, kind]) => kind === owner.kind)?.[0];
    if (label) identity[label] = owner.name;
    identity.workload = owner.name;
  }
  const sets: Labels[] = [];
  if (subject.pod) {
    identity.pod = subject.pod.name;
    // Container-level rules (cAdvisor, kube_pod_container_*) carry `container`; pod-level ones do not.
    for (const container of subject.pod.containers ?? []) sets.push({ ...identity, container });
  }
  sets.push(identity);
  return [...sets, ...(subject.alertLabels ?? [])];
}
