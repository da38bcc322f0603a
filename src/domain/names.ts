import { z } from 'zod';

// Kubernetes object names: DNS-1123 subdomains (253 chars), namespaces: DNS-1123 labels (63 chars).
// Validating them here means a name a model or a chat message invents can never reach an API path unchecked.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const objectNameSchema = z
  .string()
  .max(253)
  .regex(SUBDOMAIN, 'must be a Kubernetes object name (lower-case letters, digits, "-" and ".")');
export const namespaceSchema = z
  .string()
  .max(63)
  .regex(LABEL, 'must be a Kubernetes namespace name (lower-case letters, digits and "-")');
export const clusterNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$/, 'must be a cluster (kube context) name');

export const labelsSchema = z.record(z.string().max(1024), z.string().max(16_384));
export type Labels = z.infer<typeof labelsSchema>;

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
] as const;
export const workloadKindSchema = z.enum(WORKLOAD_KINDS);
export type WorkloadKind = z.infer<typeof workloadKindSchema>;

export const workloadRefSchema = z.object({ kind: workloadKindSchema, name: objectNameSchema }).strict();
export type WorkloadRef = z.infer<typeof workloadRefSchema>;

export const DEFAULT_CLUSTER = 'default';
