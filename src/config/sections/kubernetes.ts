import { z } from 'zod';
import { clusterNameSchema, DEFAULT_CLUSTER, durationSchema, namespaceSchema } from '../../domain/index.ts';
import { electionTimingProblems } from './lease-timing.ts';

const identityShape = {
  /** Use the pod's ServiceAccount (in-cluster config). */
  inCluster: z.boolean().optional(),
  /** Path to a kubeconfig file; without it and without inCluster, the usual KUBECONFIG / ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  /** A context in that kubeconfig; without it, its current-context. */
  context: z.string().min(1).optional(),
};
const oneSource = (i: { inCluster?: boolean; kubeconfig?: string; context?: string }) =>
  !(i.inCluster && (i.kubeconfig || i.context));
const oneSourceMessage = 'use either inCluster or kubeconfig/context, not both';
const identitySchema = z.object(identityShape).strict().refine(oneSource, oneSourceMessage);

export const clusterSchema = z
  .object({
    /** What an alert's `cluster` label says, and what actions name as their target cluster. */
    name: clusterNameSchema,
    ...identityShape,
    /** A separate identity for writes (the executor), so reads and writes run as different ServiceAccounts. */
    write: identitySchema.optional(),
  })
  .strict()
  .refine(oneSource, oneSourceMessage);
export type ClusterSection = z.infer<typeof clusterSchema>;

/** `kubernetes:` in belay.yaml: which clusters Belay reaches, how, and how patient it is with them. */
export const kubernetesSectionSchema = z
  .object({
    clusters: z
      .array(clusterSchema)
      .min(1)
      .default([{ name: DEFAULT_CLUSTER, inCluster: true }])
      .refine(
        (list) => new Set(list.map((c) => c.name)).size === list.length,
        'each cluster name must be unique',
      ),
    /** The cluster of an alert without a `cluster` label; defaults to the first one listed. */
    defaultCluster: clusterNameSchema.optional(),
    requestTimeout: durationSchema.default(10_000),
    verification: z
      .object({ timeout: durationSchema.default(300_000), pollInterval: durationSchema.default(5_000) })
      .strict()
      .prefault({}),
    /** Attempts for a read-modify-write that meets 409 Conflict. */
    conflictAttempts: z.number().int().min(1).max(10).default(3),
    fieldManager: z.string().min(1).max(128).default('belay'),
    /**
     * The single writer: a coordination.k8s.io/v1 Lease taken with the write identity of `cluster` (default:
     * the default cluster). Without it, and without an inCluster default cluster, a lock file in store.dir.
     */
    lease: z
      .object({
        name: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a DNS subdomain name')
          .default('belay-leader'),
        /** Default: the namespace of the write identity's context (in a pod: its own namespace). */
        namespace: namespaceSchema.optional(),
        cluster: clusterNameSchema.optional(),
        leaseDuration: durationSchema.default(15_000),
        renewDeadline: durationSchema.default(10_000),
        retryPeriod: durationSchema.default(2_000),
      })
      .strict()
      .optional(),
    backups: z
      .object({
        margin: durationSchema.default(900_000),
        assumedDuration: durationSchema.default(3_600_000),
        recentRuns: z.number().int().min(1).max(50).default(5),
        /** Namespaces besides the target's own that hold backup CronJobs. */
        namespaces: z.array(namespaceSchema).default([]),
        /** When backup CronJobs cannot be read, block as if a backup were running. */
        failClosed: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((k, ctx) => {
    const lease = k.lease;
    if (lease) {
      for (const problem of electionTimingProblems({
        leaseDurationMs: lease.leaseDuration,
        renewDeadlineMs: lease.renewDeadline,
        retryPeriodMs: lease.retryPeriod,
      }))
        ctx.addIssue({ code: 'custom', path: ['lease'], message: problem });
      if (lease.cluster && !k.clusters.some((c) => c.name === lease.cluster))
        ctx.addIssue({
          code: 'custom',
          path: ['lease', 'cluster'],
          message: `"${lease.cluster}" is not one of the clusters (${k.clusters.map((c) => c.name).join(', ')})`,
        });
    }
    if (k.defaultCluster && !k.clusters.some((c) => c.name === k.defaultCluster)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultCluster'],
        message: `"${k.defaultCluster}" is not one of the clusters (${k.clusters.map((c) => c.name).join(', ')})`,
      });
    }
  })
  .prefault({});
export type KubernetesSection = z.infer<typeof kubernetesSectionSchema>;
