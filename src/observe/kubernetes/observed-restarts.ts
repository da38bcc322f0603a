import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { ObservedRestart } from '../../domain/index.ts';
import type { KubeReader } from './kube-reader.ts';
import { labelSelectorString } from './label-selector.ts';

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

/** What Kubernetes records of a workload's last rollouts: a restartedAt stamp and its current ReplicaSet. */
export interface RolloutRecord {
  readonly restartedAtMs?: number;
  readonly revision?: { readonly name: string; readonly createdMs: number; readonly first: boolean };
}

/** The workload's restartedAt stamp (pod template) and, for a Deployment, its current ReplicaSet. */
export async function rolloutRecord(
  reader: KubeReader,
  namespace: string,
  w: Workload,
): Promise<RolloutRecord> {
  const restarted = ms(w.spec?.template?.metadata?.annotations?.[RESTARTED_AT]);
  const revision = w.metadata?.annotations?.[REVISION];
  let current: RolloutRecord['revision'];
  if (revision) {
    const { items } = await reader.list('ReplicaSet', namespace, {
      labelSelector: labelSelectorString(w.spec?.selector),
    });
    const rs = items.find(
      (r) =>
        r.metadata?.annotations?.[REVISION] === revision &&
        r.metadata?.ownerReferences?.some((o) => o.uid === w.metadata?.uid),
    );
    const createdMs = ms(rs?.metadata?.creationTimestamp);
    if (rs?.metadata?.name && Number.isFinite(createdMs))
      current = {
        name: rs.metadata.name,
        createdMs,
        first: createdMs - ms(w.metadata?.creationTimestamp) <= FIRST_CREATION_GRACE_MS,
      };
  }
  return {
    ...(Number.isFinite(restarted) ? { restartedAtMs: restarted } : {}),
    ...(current ? { revision: current } : {}),
  };
}

/** Restarts of the whole workload: `kubectl rollout restart` (restartedAt) and a new ReplicaSet. */
function workloadRestarts(w: Workload, record: RolloutRecord): ObservedRestart[] {
  const subject = `${w.kind ?? ('serviceName' in (w.spec ?? {}) ? 'StatefulSet' : 'Deployment')}/${w.metadata?.name}`;
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
      evidence: `ReplicaSet ${revision.name} created ${hhmm(revision.createdMs)}`,
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
