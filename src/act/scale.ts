import { PatchStrategy } from '@kubernetes/client-node';
import { type ActContext, pollUntil, withConflictRetry } from './act-context.ts';
import { type ExecutionOutcome, type Job, refuse } from './outcome.ts';
import { P } from './permissions.ts';
import { deploymentRollout, statefulSetRollout } from './rollout-status.ts';

export const SCALE_CALLS = [
  P.deploymentScaleGet,
  P.deploymentScalePatch,
  P.deploymentGet,
  P.statefulSetScaleGet,
  P.statefulSetScalePatch,
  P.statefulSetGet,
] as const;

/**
 * `kubectl scale` through the scale subresource, as a merge patch. The patch carries the resourceVersion
 * read with the previous count, so the count recorded for the revert is exactly the one replaced.
 */
export async function scaleWorkload(ctx: ActContext, job: Job<'scale'>): Promise<ExecutionOutcome> {
  const { action, dryRunOnly } = job;
  const { namespace, name, workloadKind } = action.target;
  const what = `${workloadKind} ${namespace}/${name}`;
  const isDeployment = workloadKind === 'Deployment';
  const want = action.replicas;
  const previous = await withConflictRetry(ctx.conflictAttempts, async () => {
    const scale = await ctx.call(
      {
        permission: isDeployment ? P.deploymentScaleGet : P.statefulSetScaleGet,
        namespace,
        what,
        phase: 'read',
      },
      () =>
        isDeployment
          ? ctx.apps.readNamespacedDeploymentScale({ name, namespace }, ctx.options())
          : ctx.apps.readNamespacedStatefulSetScale({ name, namespace }, ctx.options()),
    );
    const had = scale.spec?.replicas ?? 0;
    if (had === want) refuse(`${what} already runs ${want} replicas; there is nothing to scale.`, 'NoChange');
    const body = { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: want } };
    const patch = (dryRun?: 'All') =>
      ctx.call(
        {
          permission: isDeployment ? P.deploymentScalePatch : P.statefulSetScalePatch,
          namespace,
          what,
          phase: dryRun ? 'dry-run' : 'write',
        },
        () => {
          const params = { name, namespace, body, dryRun, fieldManager: ctx.fieldManager };
          const options = ctx.options(PatchStrategy.MergePatch);
          return isDeployment
            ? ctx.apps.patchNamespacedDeploymentScale(params, options)
            : ctx.apps.patchNamespacedStatefulSetScale(params, options);
        },
      );
    await patch('All');
    if (!dryRunOnly) await patch();
    return had;
  });
  if (dryRunOnly)
    return {
      status: 'dry-run-ok',
      message: `The API server accepted a dry run of scaling ${what} from ${previous} to ${want} replicas. Nothing was changed.`,
    };
  const revert = {
    type: 'restore-replicas' as const,
    proposalId: job.proposalId,
    kind: 'scale' as const,
    cluster: action.target.cluster,
    namespace,
    name,
    workloadKind,
    replicas: previous,
    takenAt: ctx.clock.now().toISOString(),
  };
  const verification = await pollUntil(ctx, async () => {
    if (isDeployment) {
      const d = await ctx.call({ permission: P.deploymentGet, namespace, what, phase: 'read' }, () =>
        ctx.apps.readNamespacedDeployment({ name, namespace }, ctx.options()),
      );
      return deploymentRollout(d);
    }
    const s = await ctx.call({ permission: P.statefulSetGet, namespace, what, phase: 'read' }, () =>
      ctx.apps.readNamespacedStatefulSet({ name, namespace }, ctx.options()),
    );
    return statefulSetRollout(s);
  });
  const waited = `${Math.round(verification.waitedMs / 1000)}s`;
  if (!verification.ok)
    return {
      status: 'verification-failed',
      reason: 'ReplicasNotReady',
      verification,
      revert,
      message: `Scaled ${what} from ${previous} to ${want} replicas, but after ${waited}: ${verification.detail}. Look at its pods (scheduling, quota, image). Revert scales it back to ${previous}. If an HorizontalPodAutoscaler manages it, it may fight a manual scale.`,
    };
  return {
    status: 'succeeded',
    verification,
    revert,
    message: `Scaled ${what} from ${previous} to ${want} replicas: ${verification.detail} after ${waited}. Revert scales it back to ${previous}.`,
  };
}
