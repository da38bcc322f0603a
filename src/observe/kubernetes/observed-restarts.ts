import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { ObservedRestart } from '../../domain/index.ts';
import { type KubeReader, labelSelectorString } from '../../kube/index.ts';

export type Workload = V1Deployment | V1StatefulSet;

const REVISION = 'deployment.kubernetes.io/revision';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/**
 * A controller creates its first pods (and a Deployment its first ReplicaSet) within moments of being
 * created; anything created later than this after its owner replaced something.
 */
const FIRST_CREATION_GRACE_MS = 5 * 60_000;
/** Pods recreated this soon after their workload was restarted are that rollout, not a separate restart. */
const SAME_ROLLOUT_MS = 15 * 60_000;

const ms = (t: Date | string | undefined) => (t ? new Date(t).getTime() : Number.NaN);
const hhmm = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;

/** What Kubernetes records of a workload's last rollouts: a restartedAt stamp and its current revision. */
export interface RolloutRecord {
  readonly restartedAtMs?: number;
  /** `ReplicaSet web-7d9f8` or `ControllerRevision postgres-5d8c7b9f4`, when it was created, and whether it is the first. */
  readonly revision?: { readonly name: string; readonly createdMs: number; readonly first: boolean };
}

/**
 * The workload's restartedAt stamp (pod template) and its current revision: a Deployment's current
 * ReplicaSet, a StatefulSet's update ControllerRevision. Created later than the workload, it replaced pods.
 */
export async function rolloutRecord(
  reader: KubeReader,
  namespace: string,
  w: Workload,
): Promise<RolloutRecord> {
  const restarted = ms(w.spec?.template?.metadata?.annotations?.[RESTARTED_AT]);
  const query = { labelSelector: labelSelectorString(w.spec?.selector) };
  const ownedByW = (refs: { uid?: string }[] | undefined) => refs?.some((o) => o.uid === w.metadata?.uid);
  let found: { kind: string; name?: string; created?: Date } | undefined;
  if (isStatefulSet(w)) {
    const name = w.status?.updateRevision;
    if (name) {
      const { items } = await reader.list('ControllerRevision', namespace, query);
      const cr = items.find((r) => r.metadata?.name === name && ownedByW(r.metadata?.ownerReferences));
      if (cr) found = { kind: 'ControllerRevision', name, created: cr.metadata?.creationTimestamp };
    }
  } else {
    const revision = w.metadata?.annotations?.[REVISION];
    if (revision) {
      const { items } = await reader.list('ReplicaSet', namespace, query);
      const rs = items.find(
        (r) => r.metadata?.annotations?.[REVISION] === revision && ownedByW(r.metadata?.ownerReferences),
      );
      if (rs)
        found = { kind: 'ReplicaSet', name: rs.metadata?.name, created: rs.metadata?.creationTimestamp };
    }
  }
  const createdMs = ms(found?.created);
  const current =
    found?.name && Number.isFinite(createdMs)
      ? {
          name: `${found.kind} ${found.name}`,
          createdMs,
          first: createdMs - ms(w.metadata?.creationTimestamp) <= FIRST_CREATION_GRACE_MS,
        }
      : undefined;
  return {
    ...(Number.isFinite(restarted) ? { restartedAtMs: restarted } : {}),
    ...(current ? { revision: current } : {}),
  };
}

function isStatefulSet(w: Workload): w is V1StatefulSet {
  return w.kind === 'StatefulSet' || 'serviceName' in (w.spec ?? {});
}

/** Restarts of the whole workload: `kubectl rollout restart` (restartedAt) and a new revision. */
function workloadRestarts(w: Workload, record: RolloutRecord): ObservedRestart[] {
  const subject = `${isStatefulSet(w) ? 'StatefulSet' : 'Deployment'}/${w.metadata?.name}`;
  const found: ObservedRestart[] = [];
  const { restartedAtMs, revision } = record;
  if (restartedAtMs !== undefined)
    found.push({
      at: new Date(restartedAtMs).toISOString(),
      source: 'rollout-restart',
      subject,
      evidence: `${RESTARTED_AT} ${hhmm(restartedAtMs)}`,
    });
  // The ReplicaSet a restartedAt stamp made is the same restart; the first one is no restart at all.
  const sameAsStamp =
    revision &&
    restartedAtMs !== undefined &&
    Math.abs(revision.createdMs - restartedAtMs) <= SAME_ROLLOUT_MS;
  if (revision && !revision.first && !sameAsStamp)
    found.push({
      at: new Date(revision.createdMs).toISOString(),
      source: 'new-revision',
      subject,
      evidence: `${revision.name} created ${hhmm(revision.createdMs)}`,
    });
  return found;
}

/** The pod's container restarts (Kubernetes keeps the last one per container) and its own recreation. */
async function podRestarts(reader: KubeReader, namespace: string, pod: V1Pod): Promise<ObservedRestart[]> {
  const name = pod.metadata?.name ?? '';
  const found: ObservedRestart[] = [];
  for (const c of pod.status?.containerStatuses ?? []) {
    const ended = c.lastState?.terminated;
    const at = ms(ended?.finishedAt);
    if (!Number.isFinite(at)) continue;
    found.push({
      at: new Date(at).toISOString(),
      source: 'container',
      subject: name,
      evidence: `container ${c.name} ended ${ended?.reason ?? `with exit code ${ended?.exitCode}`} at ${hhmm(at)}, restart ${c.restartCount ?? 0}`,
    });
  }
  const created = ms(pod.metadata?.creationTimestamp);
  const controller = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (!controller || !Number.isFinite(created)) return found;
  // A pod younger than its controller replaced an earlier one: deleted by hand, evicted, rescheduled.
  const owner =
    controller.kind === 'ReplicaSet'
      ? await reader.get('ReplicaSet', namespace, controller.name)
      : controller.kind === 'StatefulSet'
        ? await reader.get('StatefulSet', namespace, controller.name)
        : controller.kind === 'DaemonSet'
          ? await reader.get('DaemonSet', namespace, controller.name)
          : undefined;
  const ownerCreated = ms(owner?.metadata?.creationTimestamp);
  if (Number.isFinite(ownerCreated) && created - ownerCreated > FIRST_CREATION_GRACE_MS)
    found.push({
      at: new Date(created).toISOString(),
      source: 'pod-recreated',
      subject: name,
      evidence: `pod created ${hhmm(created)}`,
    });
  return found;
}

/**
 * Every restart of the target Kubernetes shows within `horizonMs` before `now`, newest first: the pod's
 * (when the target is a pod) and its workload's. A pod recreated by its workload's own rollout is that
 * rollout, listed once.
 */
export async function observedRestarts(
  reader: KubeReader,
  namespace: string,
  target: { readonly pod?: V1Pod; readonly workload?: Workload; readonly record?: RolloutRecord },
  now: Date,
  horizonMs: number,
): Promise<ObservedRestart[]> {
  const wide = target.workload && target.record ? workloadRestarts(target.workload, target.record) : [];
  const own = target.pod ? await podRestarts(reader, namespace, target.pod) : [];
  const partOfRollout = (r: ObservedRestart) =>
    r.source === 'pod-recreated' &&
    wide.some((w) => ms(w.at) <= ms(r.at) && ms(r.at) - ms(w.at) <= SAME_ROLLOUT_MS);
  const from = now.getTime() - horizonMs;
  return [...wide, ...own.filter((r) => !partOfRollout(r))]
    .filter((r) => ms(r.at) > from && ms(r.at) <= now.getTime())
    .sort((a, b) => ms(b.at) - ms(a.at));
}
