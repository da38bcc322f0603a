import { z } from 'zod';
import { clusterNameSchema, durationSchema } from '../../domain/index.ts';
import { prometheusTokenFromEnv, tokenEnvSchema } from './prometheus.ts';

/**
 * `loki:` in belay.yaml: where Belay reads logs that outlive their pod, for the investigation's
 * `logs_query` tool. After a restart the previous container's logs are gone from the Kubernetes API; Loki
 * still has them. Absent: no logs_query tool; pod_logs still reads what the cluster keeps.
 */
export const lokiSectionSchema = z
  .object({
    /** Loki's (or a gateway's) base URL, without /loki/api/v1; a path prefix behind a proxy is kept. */
    url: z.url({ protocol: /^https?$/ }),
    /** Sent as X-Scope-OrgID; needed when Loki runs multi-tenant (auth_enabled: true). */
    tenant: z
      .string()
      .regex(
        /^[A-Za-z0-9!._*'()-]{1,150}$/,
        "must be a Loki tenant ID such as team-a (letters, digits, !-_.*'())",
      )
      .optional(),
    /** The cluster its logs come from; default: kubernetes.defaultCluster. Incidents elsewhere get none. */
    cluster: clusterNameSchema.optional(),
    /** The stream label that holds the Kubernetes namespace (promtail: namespace; OpenTelemetry: k8s_namespace_name). */
    namespaceLabel: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Loki label name such as namespace')
      .default('namespace'),
    /** One query, request and answer together. */
    timeout: durationSchema.default(10_000),
    /** The environment variable holding a bearer token, when Loki sits behind an auth gateway. */
    bearerTokenEnv: tokenEnvSchema.optional(),
    /** Lines one logs_query answer shows (the newest first); the rest is cut with a note. */
    maxLines: z.number().int().min(1).max(5_000).default(200),
    /** Bytes of log text one answer shows, whatever the line count. */
    maxBytes: z.number().int().min(1_024).max(1_048_576).default(32_768),
    /** How far back one query may reach. */
    maxRange: durationSchema.default(24 * 3_600_000),
  })
  .strict();
export type LokiSection = z.infer<typeof lokiSectionSchema>;

/** The token the section names, read from the environment given (the same rule as Prometheus's). */
export const lokiTokenFromEnv = (
  section: LokiSection,
  env: Readonly<Record<string, string | undefined>>,
): ReturnType<typeof prometheusTokenFromEnv> => prometheusTokenFromEnv(section, env);
