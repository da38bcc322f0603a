import { z } from 'zod';
import { actionKindSchema, clusterNameSchema, namespaceSchema, objectNameSchema } from '../domain/index.ts';

const base = {
  proposalId: z.string().min(1),
  kind: actionKindSchema,
  cluster: clusterNameSchema,
  namespace: namespaceSchema,
  name: objectNameSchema,
  takenAt: z.iso.datetime({ offset: true }),
};

/**
 * What an executor recorded before it changed something, so the revert path can put it back. Persisted with
 * the proposal and parsed again when a revert is asked for, hence a schema rather than only a type.
 */
export const revertSnapshotSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...base,
      type: z.literal('restore-replicas'),
      workloadKind: z.enum(['Deployment', 'StatefulSet']),
      replicas: z.number().int().nonnegative(),
      /** What Belay set: a revert only goes ahead while the target still holds it. Absent in old records. */
      setReplicas: z.number().int().nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('restore-revision'),
      revision: z.number().int().positive(),
      /** The ReplicaSet's pod-template-hash: the controller renumbers revisions, the hash stays. */
      podTemplateHash: z.string().min(1),
      images: z.array(z.string()),
      /** Digest of the pod template Belay rolled back to, and its images: the revert checks it still runs. */
      setTemplate: z.string().min(1).optional(),
      setImages: z.array(z.string()).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('restore-values'),
      /** Previous value by key; null means the key did not exist and is removed again. */
      values: z.record(z.string(), z.string().nullable()),
      /** The values Belay wrote; the revert checks the ConfigMap still holds them. */
      setValues: z.record(z.string(), z.string().nullable()).optional(),
    })
    .strict(),
]);
export type RevertSnapshot = z.infer<typeof revertSnapshotSchema>;
