import { PatchStrategy } from '@kubernetes/client-node';
import { type ActContext, pollUntil, withConflictRetry } from './act-context.ts';
import { lastWriterOf, refuseChangedSince } from './changed-since.ts';
import { type ExecutionOutcome, type Job, refuse } from './outcome.ts';
import { P } from './permissions.ts';

export const PATCH_CONFIGMAP_CALLS = [P.configMapGet, P.configMapPatch] as const;

/**
 * Changes only keys the policy declares safe (`configMaps[].safeKeys`), with a merge patch that carries the
 * resourceVersion the previous values were read at: a concurrent edit is a 409, re-read and retried.
 */
export async function patchConfigMap(
  ctx: ActContext,
  job: Job<'patch-configmap'>,
  /** For a revert: the values Belay wrote, which the ConfigMap must still hold. */
  expect?: { readonly setValues: Readonly<Record<string, string | null>> },
): Promise<ExecutionOutcome> {
  const { action, dryRunOnly } = job;
  const { namespace, name } = action.target;
  const what = `ConfigMap ${namespace}/${name}`;
  const declared = ctx.safeConfigMaps.find((c) => c.namespace === namespace && c.name === name);
  if (!declared)
    refuse(
      `Belay will not change ${what}: the policy does not list it under configMaps, so none of its keys are known to be safe. Add it with its safe keys if it should be changeable.`,
      'UnsafeKey',
    );
  const keys = Object.keys(action.data);
  const unsafe = keys.filter((k) => !declared.safeKeys.includes(k));
  if (unsafe.length > 0)
    refuse(
      `Belay will not change ${unsafe.join(', ')} in ${what}: only ${declared.safeKeys.join(', ')} are declared safe in the policy. Nothing was changed.`,
      'UnsafeKey',
    );
  const previous = await withConflictRetry(ctx.conflictAttempts, async () => {
    const cm = await ctx.call({ permission: P.configMapGet, namespace, what, phase: 'read' }, () =>
      ctx.core.readNamespacedConfigMap({ name, namespace }, ctx.options()),
    );
    const had = Object.fromEntries(keys.map((k) => [k, cm.data?.[k] ?? null]));
    if (keys.every((k) => had[k] === action.data[k]))
      refuse(`${what} already has those values; there is nothing to change.`, 'NoChange');
    const moved = Object.entries(expect?.setValues ?? {}).filter(([k, v]) => (cm.data?.[k] ?? null) !== v);
    if (expect && moved.length > 0) {
      const path = ['data', moved[0]?.[0] ?? ''];
      refuseChangedSince({
        change: `${what} was changed: ${moved.map(([k]) => `${k} is now ${show(cm.data?.[k])}`).join(', ')}`,
        context: `after Belay set ${moved.map(([k, v]) => `${k} to ${show(v)}`).join(', ')}`,
        undo: `putting back ${keys.map((k) => `${k}: ${show(action.data[k])}`).join(', ')}`,
        propose: `patch-configmap ${namespace}/configmap/${name} KEY=VALUE`,
        writer: lastWriterOf(cm.metadata?.managedFields, path, ctx.fieldManager),
        path,
      });
    }
    const body = { metadata: { resourceVersion: cm.metadata?.resourceVersion }, data: action.data };
    const patch = (dryRun?: 'All') =>
      ctx.call({ permission: P.configMapPatch, namespace, what, phase: dryRun ? 'dry-run' : 'write' }, () =>
        ctx.core.patchNamespacedConfigMap(
          { name, namespace, body, dryRun, fieldManager: ctx.fieldManager },
          ctx.options(PatchStrategy.MergePatch),
        ),
      );
    await patch('All');
    if (!dryRunOnly) await patch();
    return had;
  });
  const change = keys.map((k) => `${k}: ${show(previous[k])} → ${show(action.data[k])}`).join('; ');
  if (dryRunOnly)
    return {
      status: 'dry-run-ok',
      message: `The API server accepted a dry run of changing ${what} (${change}). Nothing was changed.`,
    };
  const revert = {
    type: 'restore-values' as const,
    proposalId: job.proposalId,
    kind: 'patch-configmap' as const,
    cluster: action.target.cluster,
    namespace,
    name,
    values: previous,
    setValues: action.data,
    takenAt: ctx.clock.now().toISOString(),
  };
  const verification = await pollUntil(ctx, async () => {
    const cm = await ctx.call({ permission: P.configMapGet, namespace, what, phase: 'read' }, () =>
      ctx.core.readNamespacedConfigMap({ name, namespace }, ctx.options()),
    );
    const wrong = keys.filter((k) => (cm.data?.[k] ?? null) !== action.data[k]);
    return {
      done: wrong.length === 0,
      detail:
        wrong.length === 0 ? 'the new values are stored' : `${wrong.join(', ')} does not hold the new value`,
    };
  });
  if (!verification.ok)
    return {
      status: 'verification-failed',
      reason: 'ValueNotStored',
      verification,
      revert,
      message: `Patched ${what} (${change}), but reading it back: ${verification.detail}. Something else may be writing it (a GitOps controller?). Revert puts the previous values back.`,
    };
  return {
    status: 'succeeded',
    verification,
    revert,
    message: `Changed ${what} (${change}). Pods read a ConfigMap at start or on their own reload schedule; restart them if they do not pick it up. Revert puts the previous values back.`,
  };
}

function show(value: string | null | undefined): string {
  if (value === null || value === undefined) return '(absent)';
  return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
}
