import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { clusterNameSchema, durationSchema, namespaceSchema } from '../../domain/index.ts';
import { isKnownTimeZone } from '../window-timing.ts';

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
    /**
     * Recurring patterns learned from history (`belay windows suggest`'s search), refreshed in the background
     * and cached: a target inside one that no window covers never runs on its own. Absent: not searched.
     */
    patterns: z
      .object({
        /** How much history each refresh reads. */
        lookback: durationSchema.default(14 * 86_400_000),
        /** How often it is read again: a cron expression (5 fields). */
        schedule: z.string().min(1).default('0 * * * *'),
        /** The zone days and times of day are read in. */
        timezone: z.string().default('UTC'),
        /** Only these namespaces; all when absent. */
        namespaces: z.array(namespaceSchema).min(1).optional(),
      })
      .strict()
      .refine((p) => p.lookback >= 3 * 86_400_000, {
        message: 'lookback must be at least 3d: a pattern needs three days to recur',
        path: ['lookback'],
      })
      .refine((p) => isKnownTimeZone(p.timezone), {
        message: 'timezone is not an IANA time zone; write one like "Europe/Berlin" or "UTC"',
        path: ['timezone'],
      })
      .refine((p) => validateCronExpression(p.schedule).valid, {
        message:
          'schedule is not a valid cron expression; write five fields, e.g. "0 * * * *" for every hour',
        path: ['schedule'],
      })
      .optional(),
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
