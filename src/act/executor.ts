import type { KubeConfig } from '@kubernetes/client-node';
import type { Action, ActionKind, ExecutionPermit } from '../domain/index.ts';
import { CATALOG, describeAction } from '../domain/index.ts';
import { type ActContext, createActContext, type ExecutorSettings } from './act-context.ts';
import { type ExecutionOutcome, ExecutionStop, type Job } from './outcome.ts';
import { PATCH_CONFIGMAP_CALLS, patchConfigMap } from './patch-configmap.ts';
import type { ApiPermission } from './permissions.ts';
import { RESTART_POD_CALLS, restartPod } from './restart-pod.ts';
import { type RevertSnapshot, revertSnapshotSchema } from './revert-snapshot.ts';
import { ROLLBACK_DEPLOYMENT_CALLS, rollbackDeployment } from './rollback-deployment.ts';
import { ROLLOUT_RESTART_CALLS, rolloutRestart } from './rollout-restart.ts';
import { SCALE_CALLS, scaleWorkload } from './scale.ts';

/** Every (group, resource, verb) an executor may call, by action; deploy/'s writer RBAC must match it. */
export const EXECUTOR_CALLS: { readonly [K in ActionKind]: readonly ApiPermission[] } = {
  'restart-pod': RESTART_POD_CALLS,
  'rollout-restart': ROLLOUT_RESTART_CALLS,
  'rollback-deployment': ROLLBACK_DEPLOYMENT_CALLS,
  scale: SCALE_CALLS,
  'patch-configmap': PATCH_CONFIGMAP_CALLS,
};

export interface ExecutorDeps extends ExecutorSettings {
  /** The write identity's KubeConfig for a cluster (see kube/clusters.ts), or undefined. */
  readonly writerFor: (cluster: string) => KubeConfig | undefined;
}

export interface Executor {
  /** Dry run, then (unless the permit says dry run only) the real call, verification and a revert snapshot. */
  execute(permit: ExecutionPermit): Promise<ExecutionOutcome>;
  /**
   * Undoes what an execution recorded. The permit is the gate's permission to revert that proposal: its
   * proposalId, action kind and target must be the snapshot's, or the revert is refused.
   */
  revert(snapshot: RevertSnapshot, permit: ExecutionPermit): Promise<ExecutionOutcome>;
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const contexts = new Map<string, ActContext>();
  const contextFor = (cluster: string): ActContext => {
    let ctx = contexts.get(cluster);
    if (!ctx) {
      const kc = deps.writerFor(cluster);
      if (!kc) {
        throw new ExecutionStop({
          status: 'refused',
          reason: 'UnknownCluster',
          message: `Belay has no credentials for cluster "${cluster}". Add it under kubernetes.clusters in the config.`,
        });
      }
      ctx = createActContext(kc, deps);
      contexts.set(cluster, ctx);
    }
    return ctx;
  };

  const run = async (job: Job<ActionKind>, body: (ctx: ActContext) => Promise<ExecutionOutcome>) => {
    try {
      return await body(contextFor(job.action.target.cluster));
    } catch (error) {
      if (error instanceof ExecutionStop) return error.outcome;
      return {
        status: 'failed' as const,
        reason: 'InternalError',
        message: `Belay failed while trying to ${describeAction(job.action)} (${error instanceof Error ? error.message : String(error)}). The cluster may or may not have been changed; look at the target before trying again.`,
      };
    }
  };

  const dispatch = (ctx: ActContext, action: Action, job: Omit<Job<ActionKind>, 'action'>) => {
    switch (action.kind) {
      case 'restart-pod':
        return restartPod(ctx, { ...job, action });
      case 'rollout-restart':
        return rolloutRestart(ctx, { ...job, action });
      case 'rollback-deployment':
        return rollbackDeployment(ctx, { ...job, action });
      case 'scale':
        return scaleWorkload(ctx, { ...job, action });
      case 'patch-configmap':
        return patchConfigMap(ctx, { ...job, action });
    }
  };

  return {
    execute(permit) {
      const job = { action: permit.action, dryRunOnly: permit.dryRunOnly, proposalId: permit.proposalId };
      return run(job, (ctx) => dispatch(ctx, permit.action, job));
    },

    revert(snapshot, permit) {
      const job = { action: permit.action, dryRunOnly: permit.dryRunOnly, proposalId: permit.proposalId };
      return run(job, async (ctx) => {
        const parsed = revertSnapshotSchema.safeParse(snapshot);
        if (!parsed.success)
          return {
            status: 'refused',
            reason: 'BadSnapshot',
            message: `The revert record is damaged (${parsed.error.issues[0]?.message}); revert by hand.`,
          };
        const s = parsed.data;
        const t = permit.action.target;
        const objectName = 'pod' in t ? t.pod : t.name;
        if (
          s.proposalId !== permit.proposalId ||
          s.kind !== permit.action.kind ||
          s.cluster !== t.cluster ||
          s.namespace !== t.namespace ||
          s.name !== objectName
        )
          return {
            status: 'refused',
            reason: 'SnapshotMismatch',
            message: `This revert record belongs to ${s.kind} of ${s.namespace}/${s.name} (proposal ${s.proposalId}), not to the permitted ${describeAction(permit.action)}. Nothing was changed.`,
          };
        const base = { cluster: s.cluster, namespace: s.namespace, name: s.name };
        // Each inverse runs only while the target still holds what Belay wrote. Records from before Belay
        // kept that carry no expectation: the write's resourceVersion precondition still holds.
        switch (s.type) {
          case 'restore-replicas':
            return scaleWorkload(
              ctx,
              {
                ...job,
                action: {
                  kind: 'scale',
                  target: { ...base, workloadKind: s.workloadKind },
                  replicas: s.replicas,
                },
              },
              s.setReplicas === undefined ? undefined : { setReplicas: s.setReplicas },
            );
          case 'restore-revision':
            return rollbackDeployment(
              ctx,
              { ...job, action: { kind: 'rollback-deployment', target: base } },
              { podTemplateHash: s.podTemplateHash },
              s.setTemplate === undefined
                ? undefined
                : { setTemplate: s.setTemplate, setImages: s.setImages ?? [] },
            );
          case 'restore-values':
            return patchConfigMap(
              ctx,
              { ...job, action: { kind: 'patch-configmap', target: base, data: s.values } },
              s.setValues === undefined ? undefined : { setValues: s.setValues },
            );
        }
      });
    },
  };
}

/** Why an action kind has no revert, for a refusal that quotes the catalog. */
export function noInverse(kind: ActionKind): string | undefined {
  const plan = CATALOG[kind].revert;
  return plan.type === 'none' ? plan.why : undefined;
}
