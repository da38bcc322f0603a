import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';

// The checks `kubectl rollout status` makes (kubectl/pkg/polymorphichelpers/rollout_status.go).

export interface RolloutState {
  readonly done: boolean;
  readonly detail: string;
}

export function deploymentRollout(d: V1Deployment): RolloutState {
  const name = d.metadata?.name;
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0))
    return { done: false, detail: `waiting for the deployment ${name} spec update to be observed` };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { done: false, detail: `deployment ${name} exceeded its progress deadline` };
  const updated = s.updatedReplicas ?? 0;
  if (updated < want) return { done: false, detail: `${updated} of ${want} new replicas have been updated` };
  if ((s.replicas ?? 0) > updated)
    return { done: false, detail: `${(s.replicas ?? 0) - updated} old replicas are pending termination` };
  if ((s.availableReplicas ?? 0) < updated)
    return {
      done: false,
      detail: `${s.availableReplicas ?? 0} of ${updated} updated replicas are available`,
    };
  return { done: true, detail: `deployment ${name} successfully rolled out (${want} replicas available)` };
}

export function statefulSetRollout(sts: V1StatefulSet): RolloutState {
  const name = sts.metadata?.name;
  const s = sts.status;
  const want = sts.spec?.replicas ?? 1;
  if (!s?.observedGeneration || (sts.metadata?.generation ?? 0) > s.observedGeneration)
    return { done: false, detail: `waiting for the statefulset ${name} spec update to be observed` };
  if ((s.readyReplicas ?? 0) < want)
    return { done: false, detail: `${s.readyReplicas ?? 0} of ${want} pods are ready` };
  if ((s.replicas ?? 0) > want)
    return { done: false, detail: `${(s.replicas ?? 0) - want} pods are pending termination` };
  if (s.updateRevision !== s.currentRevision)
    return {
      done: false,
      detail: `${s.updatedReplicas ?? 0} of ${want} pods are at revision ${s.updateRevision}`,
    };
  return {
    done: true,
    detail: `statefulset ${name} rolling update complete: ${want} pods at revision ${s.updateRevision}`,
  };
}
