import { PatchStrategy } from '@kubernetes/client-node';
import { type ActContext, pollUntil, withConflictRetry } from './act-context.ts';
import { type ExecutionOutcome, type Job, refuse } from './outcome.ts';
import { P } from './permissions.ts';
import { deploymentRollout, statefulSetRollout } from './rollout-status.ts';

export const ROLLOUT_RESTART_CALLS = [
  P.deploymentGet,
  P.deploymentPatch,
  P.statefulSetGet,
  P.statefulSetPatch,
] as const;

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * `kubectl rollout restart`: stamp the pod template with restartedAt, as a strategic merge patch that carries
 * the resourceVersion it was read at, so the paused check holds for the object written (else 409, read again).
 */
export async function rolloutRestart(
  ctx: ActContext,
  job: Job<'rollout-restart'>,
): Promise<ExecutionOutcome> {
  const { action, dryRunOnly } = job;
  const { namespace, name, workloadKind } = action.target;
  const what = `${workloadKind} ${namespace}/${name}`;
  const isDeployment = workloadKind === 'Deployment';
  const get = isDeployment ? P.deploymentGet : P.statefulSetGet;
  const patchPermission = isDeployment ? P.deploymentPatch : P.statefulSetPatch;
  const site = { permission: get, namespace, what, phase: 'read' as const };
  const readDeployment = () =>
    ctx.call(site, () => ctx.apps.readNamespacedDeployment({ name, namespace }, ctx.options()));
  const readStatefulSet = () =>
    ctx.call(site, () => ctx.apps.readNamespacedStatefulSet({ name, namespace }, ctx.options()));
  const read = () => (isDeployment ? readDeployment() : readStatefulSet());
  await withConflictRetry(ctx.conflictAttempts, async () => {
    const workload = await read();
    if (isDeployment && (workload.spec as { paused?: boolean } | undefined)?.paused)
      refuse(
        `Belay will not restart ${what}: it is paused (kubectl says "can't restart paused deployment"). Someone paused it on purpose; run \`kubectl rollout resume\` first if it should roll.`,
        'Paused',
      );
    // RFC 3339 to the second, as kubectl writes it.
    const stamp = ctx.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    if (workload.spec?.template.metadata?.annotations?.[RESTARTED_AT] === stamp)
      refuse(
        `${what} was already restarted at ${stamp}; a second restart in the same second changes nothing.`,
        'NoChange',
      );
    const body = {
      metadata: { resourceVersion: workload.metadata?.resourceVersion },
      spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } },
    };
    const patch = (dryRun?: 'All') =>
      ctx.call({ permission: patchPermission, namespace, what, phase: dryRun ? 'dry-run' : 'write' }, () => {
        const params = { name, namespace, body, dryRun, fieldManager: ctx.fieldManager };
        const options = ctx.options(PatchStrategy.StrategicMergePatch);
        return isDeployment
          ? ctx.apps.patchNamespacedDeployment(params, options)
          : ctx.apps.patchNamespacedStatefulSet(params, options);
      });
    await patch('All');
    if (!dryRunOnly) await patch();
  });
  if (dryRunOnly)
    return {
      status: 'dry-run-ok',
      message: `The API server accepted a dry run of restarting ${what}. Nothing was changed.`,
    };
  const verification = await pollUntil(ctx, async () =>
    isDeployment ? deploymentRollout(await readDeployment()) : statefulSetRollout(await readStatefulSet()),
  );
  const waited = `${Math.round(verification.waitedMs / 1000)}s`;
  if (!verification.ok)
    return {
      status: 'verification-failed',
      reason: 'RolloutIncomplete',
      verification,
      message: `Started a rolling restart of ${what}, but after ${waited} it is not complete: ${verification.detail}. Look at its new pods and events; \`kubectl rollout undo\` returns to the previous template if the new pods cannot start.`,
    };
  return {
    status: 'succeeded',
    verification,
    message: `Restarted ${what}: ${verification.detail} after ${waited}. A rolling restart cannot be undone, so there is nothing to revert.`,
  };
}
