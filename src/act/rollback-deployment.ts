import { createHash } from 'node:crypto';
import { PatchStrategy, type V1ReplicaSet } from '@kubernetes/client-node';
import { labelSelectorString } from '../kube/index.ts';
import { type ActContext, pollUntil, withConflictRetry } from './act-context.ts';
import { lastWriterOf, refuseChangedSince } from './changed-since.ts';
import { type ExecutionOutcome, type Job, refuse } from './outcome.ts';
import { P } from './permissions.ts';
import type { RevertSnapshot } from './revert-snapshot.ts';
import { deploymentRollout } from './rollout-status.ts';

export const ROLLBACK_DEPLOYMENT_CALLS = [P.deploymentGet, P.deploymentPatch, P.replicaSetList] as const;

const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
// Annotations `kubectl rollout undo` keeps from the Deployment instead of copying from the ReplicaSet.
const KEEP_FROM_DEPLOYMENT = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** Which ReplicaSet to go back to: a revision number, or (for a revert) the pod-template-hash recorded. */
export type RollbackTarget = { readonly revision?: number } | { readonly podTemplateHash: string };

function revisionOf(rs: V1ReplicaSet): number {
  return Number(rs.metadata?.annotations?.[REVISION] ?? 0);
}

/** JSON with sorted keys, so two templates compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function withoutHash<T extends { metadata?: { labels?: Record<string, string> } }>(
  template: T | undefined,
): T {
  // client-node's pod template models serialise to the wire format with JSON.stringify (no renamed fields).
  const copy = JSON.parse(JSON.stringify(template ?? {})) as T;
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH];
  return copy;
}

/** A pod template's identity without its pod-template-hash: what a revert checks is still running. */
export function templateDigest(template: unknown): string {
  return createHash('sha256')
    .update(canonical(withoutHash(template as { metadata?: { labels?: Record<string, string> } })))
    .digest('hex')
    .slice(0, 32);
}

/** For a revert: the template Belay rolled back to, which the Deployment must still run. */
export interface ExpectedTemplate {
  readonly setTemplate: string;
  readonly setImages: readonly string[];
}

/**
 * `kubectl rollout undo deployment/X [--to-revision=N]` (protocols.md §5.2), as a JSON patch that carries
 * the resourceVersion it was computed from: a Deployment changed in between is a 409, read again.
 */
export async function rollbackDeployment(
  ctx: ActContext,
  job: Job<'rollback-deployment'>,
  target: RollbackTarget = { revision: job.action.toRevision },
  expect?: ExpectedTemplate,
): Promise<ExecutionOutcome> {
  const { namespace, name } = job.action.target;
  const what = `Deployment ${namespace}/${name}`;
  const read = () =>
    ctx.call({ permission: P.deploymentGet, namespace, what, phase: 'read' }, () =>
      ctx.apps.readNamespacedDeployment({ name, namespace }, ctx.options()),
    );
  // What the template must still be: for a revert, what Belay set; after a 409, what the first read saw
  // (a rollback is relative to the running template, so a deploy landing in between is not rolled over).
  let hold: Hold | undefined = expect && {
    template: expect.setTemplate,
    context: `after Belay rolled it back to ${expect.setImages.join(', ')}`,
    undo: 'rolling it forward again',
  };
  const done = await withConflictRetry(ctx.conflictAttempts, () =>
    rollbackOnce(ctx, job, target, read, hold, (template) => {
      hold ??= { template, context: 'while Belay was rolling it back', undo: 'rolling back now' };
    }),
  );
  if ('status' in done) return done;
  return verifyRollback(ctx, done, read);
}

const images = (t: V1ReplicaSet | undefined) =>
  (t?.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');

interface Hold {
  readonly template: string;
  readonly context: string;
  readonly undo: string;
}

interface Written {
  readonly what: string;
  readonly revision: number;
  readonly chosen: V1ReplicaSet;
  readonly previous: Extract<RevertSnapshot, { type: 'restore-revision' }>;
}

/** Read, choose, check, dry-run and write: the part that starts again from the read on 409. */
async function rollbackOnce(
  ctx: ActContext,
  job: Job<'rollback-deployment'>,
  target: RollbackTarget,
  read: () => ReturnType<ActContext['apps']['readNamespacedDeployment']>,
  hold: Hold | undefined,
  seen: (template: string) => void,
): Promise<Written | ExecutionOutcome> {
  const { action, dryRunOnly } = job;
  const { namespace, name } = action.target;
  const what = `Deployment ${namespace}/${name}`;
  const deployment = await read();
  const running = templateDigest(deployment.spec?.template);
  if (hold && running !== hold.template) {
    const path = ['spec', 'template'];
    const now = (deployment.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
    refuseChangedSince({
      change: `${what} was changed to a new pod template (${now.join(', ')})`,
      context: hold.context,
      undo: hold.undo,
      propose: `rollback-deployment ${namespace}/${name}`,
      writer: lastWriterOf(deployment.metadata?.managedFields, path, ctx.fieldManager),
      path,
    });
  }
  seen(running);
  if (deployment.spec?.paused)
    refuse(
      `Belay will not roll back ${what}: it is paused. Run \`kubectl rollout resume\` first if it should roll.`,
      'Paused',
    );
  const list = await ctx.call(
    { permission: P.replicaSetList, namespace, what: `the ReplicaSets of ${what}`, phase: 'read' },
    () =>
      ctx.apps.listNamespacedReplicaSet(
        { namespace, labelSelector: labelSelectorString(deployment.spec?.selector) },
        ctx.options(),
      ),
  );
  const owned = list.items
    .filter((rs) =>
      rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === deployment.metadata?.uid),
    )
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const currentRevision = Number(deployment.metadata?.annotations?.[REVISION] ?? revisionOf(owned[0] ?? {}));
  const current = owned.find((rs) => revisionOf(rs) === currentRevision) ?? owned[0];
  let chosen: V1ReplicaSet | undefined;
  if ('podTemplateHash' in target) {
    chosen = owned.find((rs) => rs.metadata?.labels?.[HASH] === target.podTemplateHash);
    if (!chosen)
      refuse(
        `The ReplicaSet ${name}-${target.podTemplateHash} that ${what} ran before is gone (history was pruned), so Belay cannot roll back to it. Roll forward by hand.`,
        'NoHistory',
      );
  } else if (target.revision) {
    chosen = owned.find((rs) => revisionOf(rs) === target.revision);
    if (!chosen)
      refuse(
        `Unable to find revision ${target.revision} in the history of ${what}. Look at \`kubectl rollout history\` for the revisions that exist.`,
        'NoHistory',
      );
  } else {
    chosen = owned.filter((rs) => rs !== current)[0];
    if (!chosen)
      refuse(
        `No rollout history found for ${what}: there is no previous revision to go back to.`,
        'NoHistory',
      );
  }
  const revision = revisionOf(chosen);
  const template = withoutHash(chosen.spec?.template);
  if (canonical(template) === canonical(withoutHash(deployment.spec?.template)))
    refuse(
      `${what} already runs the template of revision ${revision}; there is nothing to roll back.`,
      'NoChange',
    );
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata?.annotations ?? {}))
    if (KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(chosen.metadata?.annotations ?? {}))
    if (!KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  const body = [
    // The precondition: the Deployment is still the one this patch was computed from, or 409.
    { op: 'add', path: '/metadata/resourceVersion', value: deployment.metadata?.resourceVersion },
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  const patch = (dryRun?: 'All') =>
    ctx.call({ permission: P.deploymentPatch, namespace, what, phase: dryRun ? 'dry-run' : 'write' }, () =>
      ctx.apps.patchNamespacedDeployment(
        { name, namespace, body, dryRun, fieldManager: ctx.fieldManager },
        ctx.options(PatchStrategy.JsonPatch),
      ),
    );
  const previous: Extract<RevertSnapshot, { type: 'restore-revision' }> = {
    type: 'restore-revision',
    proposalId: job.proposalId,
    kind: 'rollback-deployment',
    cluster: action.target.cluster,
    namespace,
    name,
    takenAt: ctx.clock.now().toISOString(),
    revision: currentRevision,
    podTemplateHash: current?.metadata?.labels?.[HASH] ?? '',
    images: images(current),
    setTemplate: templateDigest(template),
    setImages: images(chosen),
  };
  await patch('All');
  if (dryRunOnly)
    return {
      status: 'dry-run-ok',
      message: `The API server accepted a dry run of rolling ${what} back to revision ${revision} (${images(chosen).join(', ')}). Nothing was changed.`,
    };
  await patch();
  return { what, revision, chosen, previous };
}

async function verifyRollback(
  ctx: ActContext,
  { what, revision, chosen, previous }: Written,
  read: () => ReturnType<ActContext['apps']['readNamespacedDeployment']>,
): Promise<ExecutionOutcome> {
  const currentRevision = previous.revision;
  const verification = await pollUntil(ctx, async () => deploymentRollout(await read()));
  const waited = `${Math.round(verification.waitedMs / 1000)}s`;
  const from = `revision ${currentRevision} (${previous.images.join(', ')}) to revision ${revision} (${images(chosen).join(', ')})`;
  if (!verification.ok)
    return {
      status: 'verification-failed',
      reason: 'RolloutIncomplete',
      verification,
      revert: previous,
      message: `Rolled ${what} back from ${from}, but after ${waited} the rollout is not complete: ${verification.detail}. Look at the new pods and their events; the revert button rolls forward again.`,
    };
  return {
    status: 'succeeded',
    verification,
    revert: previous,
    message: `Rolled ${what} back from ${from}: ${verification.detail} after ${waited}. Revert rolls forward to revision ${currentRevision} again.`,
  };
}
