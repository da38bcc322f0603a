import { z } from 'zod';
import { clusterNameSchema, durationSchema } from '../../domain/index.ts';

/** The name of an environment variable that holds a token (the token itself never sits in belay.yaml). */
export const tokenEnvSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as PROMETHEUS_TOKEN');

/**
 * `prometheus:` in belay.yaml: where Belay reads metrics, for the investigation's `metrics_query` tool and
 * for the samples that rules with `when.metric` are judged on. Absent: no metrics tool, and every metric
 * condition reads "no samples", so those rules never apply (they do not fire blind).
 */
export const prometheusSectionSchema = z
  .object({
    /** Prometheus (or Thanos/Mimir's Prometheus-compatible query API) base URL, without /api/v1. */
    url: z.url({ protocol: /^https?$/ }),
    /** The cluster it watches; default: kubernetes.defaultCluster. Targets elsewhere get no samples. */
    cluster: clusterNameSchema.optional(),
    /** One query, sent to Prometheus as its own timeout too. */
    timeout: durationSchema.default(5_000),
    /** The environment variable holding a bearer token, when Prometheus sits behind an auth proxy. */
    bearerTokenEnv: tokenEnvSchema.optional(),
    /** Series one metrics_query answer shows (the highest first); the rest is cut with a note. */
    maxSeries: z.number().int().min(1).max(100).default(10),
    /** Points one series shows after downsampling (each interval keeps its lowest and highest). */
    maxPoints: z.number().int().min(2).max(1_000).default(60),
  })
  .strict();
export type PrometheusSection = z.infer<typeof prometheusSectionSchema>;

/** The token a section names, read from the environment given; `missing` names an unset variable. */
export function prometheusTokenFromEnv(
  section: { readonly bearerTokenEnv?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): { readonly ok: true; readonly token?: string } | { readonly ok: false; readonly missing: string } {
  if (!section.bearerTokenEnv) return { ok: true };
  const token = env[section.bearerTokenEnv]?.trim();
  return token ? { ok: true, token } : { ok: false, missing: section.bearerTokenEnv };
}
