import type { V1Pod } from '@kubernetes/client-node';
import { type ActContext, pollUntil } from './act-context.ts';
import { type ExecutionOutcome, ExecutionStop, type Job, refuse } from './outcome.ts';
import { P } from './permissions.ts';

/** The calls restart-pod makes. */
export const RESTART_POD_CALLS = [P.podGet, P.podList, P.podEvict] as const;

// Controllers that put an evicted pod back: a ReplicaSet or DaemonSet under a new name, a StatefulSet under
// the same name. Anything else (a bare pod, a Job's pod) would not simply come back.
const REPLACING_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet']);

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Restarts a pod the way `kubectl drain` does: through the Eviction API, so PodDisruptionBudgets hold. */
export async function restartPod(ctx: ActContext, job: Job<'restart-pod'>): Promise<ExecutionOutcome> {
  const { action, dryRunOnly } = job;
  const { namespace, pod: name } = action.target;
  const what = `pod ${namespace}/${name}`;
  const pod = await ctx.call({ permission: P.podGet, namespace, what, phase: 'read' }, () =>
    ctx.core.readNamespacedPod({ name, namespace }, ctx.options()),
  );
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (!owner || !REPLACING_OWNERS.has(owner.kind)) {
    refuse(
      `Belay will not evict ${what}: ${owner ? `it belongs to a ${owner.kind}` : 'no controller owns it'}, so nothing would start it again. Delete or restart it by hand if that is really what you want.`,
      'NoReplacingController',
    );
  }
  // The precondition: evict the pod that was read, not a namesake a StatefulSet created since (else 409).
  const eviction = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace },
    deleteOptions: { preconditions: { uid: pod.metadata?.uid } },
  };
  await ctx.call({ permission: P.podEvict, namespace, what, phase: 'dry-run' }, () =>
    ctx.core.createNamespacedPodEviction({ name, namespace, body: eviction, dryRun: 'All' }, ctx.options()),
  );
  if (dryRunOnly)
    return {
      status: 'dry-run-ok',
      message: `The API server accepted a dry run of evicting ${what} (its PodDisruptionBudget allows it). Nothing was changed.`,
    };

  const selector = Object.entries(pod.metadata?.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const listOwned = async () => {
    const list = await ctx.call(
      { permission: P.podList, namespace, what: `the pods of ${owner.kind} ${owner.name}`, phase: 'read' },
      () => ctx.core.listNamespacedPod({ namespace, labelSelector: selector }, ctx.options()),
    );
    return list.items.filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === owner.uid));
  };
  const before = new Set((await listOwned()).map((p) => p.metadata?.uid));
  before.add(pod.metadata?.uid);

  await ctx.call({ permission: P.podEvict, namespace, what, phase: 'write' }, () =>
    ctx.core.createNamespacedPodEviction({ name, namespace, body: eviction }, ctx.options()),
  );

  // The eviction is done, so a read that fails here says why the replacement is not seen, never that
  // "nothing was changed" (the executor's words for a failure before the write).
  const readFailure = (error: unknown): { done: false; detail: string } => {
    if (!(error instanceof ExecutionStop)) throw error;
    const { httpStatus, reason } = error.outcome;
    const code = [httpStatus, reason].filter(Boolean).join(' ');
    return { done: false, detail: `Belay could not read the pods to check (${code || 'no answer'})` };
  };

  const checkReplacement = async (): Promise<{ done: boolean; detail: string }> => {
    if (owner.kind === 'StatefulSet') {
      const now = await ctx
        .call({ permission: P.podGet, namespace, what, phase: 'read' }, () =>
          ctx.core.readNamespacedPod({ name, namespace }, ctx.options()),
        )
        // Between the old pod going and the StatefulSet recreating it, the name does not exist.
        .catch((error: unknown) => {
          if (error instanceof ExecutionStop && error.outcome.httpStatus === 404) return undefined;
          throw error;
        });
      if (!now) return { done: false, detail: `${name} is gone and has not been recreated yet` };
      const replaced = now.metadata?.uid !== pod.metadata?.uid;
      return {
        done: replaced && isReady(now),
        detail: replaced
          ? `${name} was recreated${isReady(now) ? ' and is Ready' : ' but is not Ready yet'}`
          : `${name} has not been recreated yet`,
      };
    }
    const fresh = (await listOwned()).filter((p) => !before.has(p.metadata?.uid));
    const ready = fresh.find(isReady);
    return {
      done: ready !== undefined,
      detail: ready
        ? `replacement ${ready.metadata?.name} is Ready`
        : fresh.length > 0
          ? `replacement ${fresh.map((p) => p.metadata?.name).join(', ')} is not Ready yet`
          : `${owner.kind} ${owner.name} has not created a replacement yet`,
    };
  };

  const verification = await pollUntil(ctx, () => checkReplacement().catch(readFailure));
  const waited = `${Math.round(verification.waitedMs / 1000)}s`;
  if (!verification.ok)
    return {
      status: 'verification-failed',
      reason: 'ReplacementNotReady',
      verification,
      message: `${capitalised(what)} was evicted, but its replacement was not seen Ready within ${waited}: ${verification.detail}. Look at the ${owner.kind} ${owner.name} and its events (image pull, scheduling, probes). A restart cannot be undone.`,
    };
  return {
    status: 'succeeded',
    verification,
    message: `Evicted ${what}; ${verification.detail} after ${waited}. A restart cannot be undone, so there is nothing to revert.`,
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
