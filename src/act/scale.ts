import { PatchStrategy } from '@kubernetes/client-node';
import { type ActContext, pollUntil, withConflictRetry } from './act-context.ts';
import { lastWriterOf, refuseChangedSince } from './changed-since.ts';
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

/** For a revert: the count Belay set, which the workload must still run for the revert to go ahead. */
export interface ExpectedReplicas {
  readonly setReplicas: number;
}

/**
 * `kubectl scale` through the scale subresource, as a merge patch. The patch carries the resourceVersion
 * read with the previous count, so the count recorded for the revert is exactly the one replaced. On 409 the
 * count is read again, and a revert whose expected count is gone stops there instead of writing over it.
 */
export async function scaleWorkload(
  ctx: ActContext,
  job: Job<'scale'>,
  expect?: ExpectedReplicas,
): Promise<ExecutionOutcome> {
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
    if (expect && had !== expect.setReplicas) {
      // Scale carries no managedFields; the workload records who wrote spec.replicas.
      const workload = await ctx.call(
        { permission: isDeployment ? P.deploymentGet : P.statefulSetGet, namespace, what, phase: 'read' },
        () =>
          isDeployment
            ? ctx.apps.readNamespacedDeployment({ name, namespace }, ctx.options())
            : ctx.apps.readNamespacedStatefulSet({ name, namespace }, ctx.options()),
      );
      const path = ['spec', 'replicas'];
      refuseChangedSince({
        change: `${what} was scaled to ${had} replicas`,
        context: `after Belay set ${expect.setReplicas}`,
        undo: `scaling it back to ${want}`,
        propose: `scale ${namespace}/${workloadKind.toLowerCase()}/${name} replicas=N`,
        writer: lastWriterOf(workload.metadata?.managedFields, path, ctx.fieldManager),
        path,
      });
    }
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
    setReplicas: want,
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
