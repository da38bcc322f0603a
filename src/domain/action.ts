import { z } from 'zod';
import { clusterNameSchema, DEFAULT_CLUSTER, namespaceSchema, objectNameSchema } from './names.ts';

// The catalog: the only things Belay can ever do to a cluster. Anything else is not representable,
// so no prompt, slash command or rule can make the executor do it.

const scoped = { cluster: clusterNameSchema.default(DEFAULT_CLUSTER), namespace: namespaceSchema };
const restartableKind = z.enum(['Deployment', 'StatefulSet']);

export const restartPodSchema = z
  .object({
    kind: z.literal('restart-pod'),
    target: z.object({ ...scoped, pod: objectNameSchema }).strict(),
  })
  .strict();

export const rolloutRestartSchema = z
  .object({
    kind: z.literal('rollout-restart'),
    target: z.object({ ...scoped, workloadKind: restartableKind, name: objectNameSchema }).strict(),
  })
  .strict();

export const rollbackDeploymentSchema = z
  .object({
    kind: z.literal('rollback-deployment'),
    target: z.object({ ...scoped, name: objectNameSchema }).strict(),
    /** A specific revision; absent means the previous one, as `kubectl rollout undo` does. */
    toRevision: z.number().int().positive().optional(),
  })
  .strict();

export const scaleSchema = z
  .object({
    kind: z.literal('scale'),
    target: z.object({ ...scoped, workloadKind: restartableKind, name: objectNameSchema }).strict(),
    replicas: z.number().int().min(0).max(1_000),
  })
  .strict();

export const patchConfigMapSchema = z
  .object({
    kind: z.literal('patch-configmap'),
    target: z.object({ ...scoped, name: objectNameSchema }).strict(),
    /** New values by key; null removes the key. Only keys the policy declares safe may appear. */
    data: z
      .record(z.string().min(1).max(253), z.string().max(65_536).nullable())
      .refine((data) => Object.keys(data).length > 0, 'name at least one key to change'),
  })
  .strict();

export const actionSchema = z.discriminatedUnion('kind', [
  restartPodSchema,
  rolloutRestartSchema,
  rollbackDeploymentSchema,
  scaleSchema,
  patchConfigMapSchema,
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionKind = Action['kind'];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

export const ACTION_KINDS = [
  'restart-pod',
  'rollout-restart',
  'rollback-deployment',
  'scale',
  'patch-configmap',
] as const satisfies readonly ActionKind[];
export const actionKindSchema = z.enum(ACTION_KINDS);

/** How an executed action is undone, or why it cannot be. */
export type RevertPlan =
  | { readonly type: 'none'; readonly why: string }
  | { readonly type: 'restore-revision' | 'restore-replicas' | 'restore-values'; readonly how: string };

export interface CatalogEntry {
  readonly title: string;
  /** Counts against restart rate limits (a restart of a pod, or of every pod of a workload). */
  readonly restarts: boolean;
  readonly revert: RevertPlan;
}

export const CATALOG: { readonly [K in ActionKind]: CatalogEntry } = {
  'restart-pod': {
    title: 'Restart a pod (eviction, honouring PodDisruptionBudgets)',
    restarts: true,
    revert: { type: 'none', why: 'a restart cannot be undone: the old container is gone once it is evicted' },
  },
  'rollout-restart': {
    title: 'Rolling restart of a Deployment or StatefulSet',
    restarts: true,
    revert: { type: 'none', why: 'a rolling restart cannot be undone: every pod has already been replaced' },
  },
  'rollback-deployment': {
    title: 'Roll a Deployment back to its previous revision',
    restarts: false,
    revert: { type: 'restore-revision', how: 'roll forward again to the revision that was live before' },
  },
  scale: {
    title: 'Scale a Deployment or StatefulSet',
    restarts: false,
    revert: { type: 'restore-replicas', how: 'scale back to the replica count recorded before' },
  },
  'patch-configmap': {
    title: 'Change known-safe keys of a ConfigMap',
    restarts: false,
    revert: { type: 'restore-values', how: 'put back the previous values of the changed keys' },
  },
};

export function hasInverse(kind: ActionKind): boolean {
  return CATALOG[kind].revert.type !== 'none';
}

/** The object an action writes to, for messages and rate-limit keys. */
export function actionObject(action: Action): { kind: string; name: string } {
  switch (action.kind) {
    case 'restart-pod':
      return { kind: 'Pod', name: action.target.pod };
    case 'rollout-restart':
    case 'scale':
      return { kind: action.target.workloadKind, name: action.target.name };
    case 'rollback-deployment':
      return { kind: 'Deployment', name: action.target.name };
    case 'patch-configmap':
      return { kind: 'ConfigMap', name: action.target.name };
  }
}

/** `restart-pod databases/postgres-0`, `scale Deployment shop/web to 3` — how an SRE would say it. */
export function describeAction(action: Action): string {
  const t = action.target;
  const where = `${t.cluster === DEFAULT_CLUSTER ? '' : `${t.cluster}:`}${t.namespace}`;
  switch (action.kind) {
    case 'restart-pod':
      return `restart pod ${where}/${action.target.pod}`;
    case 'rollout-restart':
      return `rolling restart of ${action.target.workloadKind} ${where}/${action.target.name}`;
    case 'rollback-deployment':
      return `roll back Deployment ${where}/${action.target.name} to ${
        action.toRevision ? `revision ${action.toRevision}` : 'its previous revision'
      }`;
    case 'scale':
      return `scale ${action.target.workloadKind} ${where}/${action.target.name} to ${action.replicas} replicas`;
    case 'patch-configmap':
      return `change ${Object.keys(action.data).join(', ')} in ConfigMap ${where}/${action.target.name}`;
  }
}
