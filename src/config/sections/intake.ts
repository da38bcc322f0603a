import { z } from 'zod';
import { durationSchema, labelsSchema, selectorSchema } from '../../domain/index.ts';

// Secrets never sit in belay.yaml: the file names the environment variables that hold them, and the
// composition root reads them through `intakeSecrets` with the environment passed in.
const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as BELAY_TOKEN');

// Either or both: a delivery is accepted when it carries any configured credential, so switching from basic
// auth to a bearer token (or rotating) needs no window where Alertmanager is refused.
const alertmanagerAuthSchema = z
  .object({
    bearer: z
      .object({ tokenEnv: envName.default('BELAY_ALERTMANAGER_TOKEN') })
      .strict()
      .optional(),
    basic: z
      .object({ username: z.string().min(1), passwordEnv: envName.default('BELAY_ALERTMANAGER_PASSWORD') })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (auth) => auth.bearer || auth.basic,
    "give bearer or basic (or both), as the receiver's http_config sends it",
  );

const slackSourceSchema = z
  .object({
    kind: z.enum(['alertmanager', 'pagerduty']),
    /** `bot_id` of its messages, copied from one real message. */
    botIds: z.array(z.string().regex(/^B[A-Z0-9]+$/, 'must be a Slack bot id such as B012AB3CD')).default([]),
    /** `bot_profile.app_id` of its messages. */
    appIds: z.array(z.string().regex(/^A[A-Z0-9]+$/, 'must be a Slack app id such as A012AB3CD')).default([]),
    /** Alertmanager default template only: the route's group_by, to name the title's values. */
    groupBy: z.array(z.string().min(1)).optional(),
    /** Labels its alerts carry, such as the cluster a channel is about. */
    labels: labelsSchema.optional(),
  })
  .strict()
  .refine(
    (s) => s.botIds.length + s.appIds.length > 0,
    'give botIds or appIds, or Belay cannot tell its messages apart',
  );

const calendarFetchShape = {
  timeout: durationSchema.default(2_000),
  cache: durationSchema.default(30_000),
  /** Overrides `calendars.failClosed` for this source. */
  failClosed: z.boolean().optional(),
};

/** The `intake:` section: webhook endpoint, alert sources in Slack, correlation and external calendars. */
/** A bound of 0 would fail the check at once, for ever. */
const positiveDuration = durationSchema.refine((ms) => ms > 0, 'must be longer than 0');

export const intakeSectionSchema = z
  .object({
    port: z.number().int().min(1).max(65_535).default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    /** Deliveries waiting to be processed before new ones get 503 (Alertmanager and PagerDuty retry). */
    queueCapacity: z.number().int().min(1).max(100_000).default(1_000),
    /** Serve /metrics on its own port (same host) instead of the intake port, to scrape it apart from the webhooks. */
    metricsPort: z.number().int().min(1).max(65_535).optional(),
    /** Bounds for /healthz and /readyz (README, "Operating Belay"). */
    health: z
      .object({
        /** An event loop blocked longer than this fails /healthz. */
        maxEventLoopStall: positiveDuration.default(5_000),
        /** For how long after such a stall /healthz keeps failing. */
        stallWindow: positiveDuration.default(30_000),
        /** /readyz fails while the oldest unprocessed delivery has waited longer than this. */
        maxBacklogAge: positiveDuration.default(300_000),
        /** /readyz fails once the Slack socket (Socket Mode) has been down this long. */
        slackDownGrace: durationSchema.default(15_000),
      })
      .strict()
      .default({
        maxEventLoopStall: 5_000,
        stallWindow: 30_000,
        maxBacklogAge: 300_000,
        slackDownGrace: 15_000,
      }),
    alertmanager: z.object({ auth: alertmanagerAuthSchema }).strict().optional(),
    pagerduty: z
      .object({
        /** Comma-separated webhook subscription secrets (two during a rotation). */
        webhookSecretsEnv: envName.default('BELAY_PAGERDUTY_WEBHOOK_SECRETS'),
        /** REST API token, for incident details and maintenance windows. */
        apiTokenEnv: envName.optional(),
        apiUrl: z.url().default('https://api.pagerduty.com'),
        /** Labels (cluster, namespace, deployment…) for the incidents of each service id, so they can be placed. */
        serviceLabels: z.record(z.string().min(1), labelsSchema).default({}),
        /** Events that occurred longer ago are refused: the signature has no timestamp to stop a replay. */
        maxEventAge: durationSchema.default(3_600_000),
      })
      .strict()
      .optional(),
    slack: z
      .object({ sources: z.array(slackSourceSchema).default([]) })
      .strict()
      .default({ sources: [] }),
    correlation: z
      .object({
        /** An open incident silent this long is taken as abandoned; keep it above repeat_interval. */
        staleAfter: durationSchema.default(86_400_000),
        stormWorkloads: z.number().int().min(2).max(10_000).default(10),
        /** A storm is also this many distinct pods, or firing alerts, within the window (few workloads, many pods). */
        stormPods: z.number().int().min(2).max(1_000_000).default(50),
        stormAlerts: z.number().int().min(2).max(1_000_000).default(50),
        stormWindow: durationSchema.default(300_000),
        /** Incidents investigated at once, each under its own budget. */
        investigationConcurrency: z.number().int().min(1).max(64).default(4),
        /** Investigations one storm may start (its shared one included): the storm's model budget, in incidents. */
        stormInvestigations: z.number().int().min(1).max(1_000).default(5),
      })
      .strict()
      .prefault({}),
    calendars: z
      .object({
        /** When a calendar cannot be read, treat targets as inside a window. */
        failClosed: z.boolean().default(true),
        alertmanagerSilences: z
          .object({ url: z.url(), ...calendarFetchShape })
          .strict()
          .optional(),
        pagerdutyMaintenance: z
          .object({
            services: z.array(z.object({ id: z.string().min(1), selector: selectorSchema }).strict()).min(1),
            ...calendarFetchShape,
            cache: durationSchema.default(60_000),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ failClosed: true }),
  })
  .strict()
  .superRefine((intake, ctx) => {
    if (intake.metricsPort === intake.port) {
      ctx.addIssue({
        code: 'custom',
        path: ['metricsPort'],
        message: `is the intake port (${intake.port}) too; leave metricsPort out to serve /metrics there, or pick another port`,
      });
    }
    if (intake.calendars.pagerdutyMaintenance && !intake.pagerduty?.apiTokenEnv) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendars', 'pagerdutyMaintenance'],
        message: 'PagerDuty maintenance windows need pagerduty.apiTokenEnv (a REST API token)',
      });
    }
  })
  // Absent from the file: every default (no webhook sources enabled until configured).
  .prefault({});
export type IntakeSection = z.infer<typeof intakeSectionSchema>;

/** The secrets the intake section names, read from the environment given; each missing one is named. */
export function intakeSecrets(
  intake: IntakeSection,
  env: Readonly<Record<string, string | undefined>>,
):
  | {
      ok: true;
      alertmanagerAuth?: (
        | { type: 'bearer'; token: string }
        | { type: 'basic'; username: string; password: string }
      )[];
      pagerdutySecrets: string[];
      pagerdutyApiToken?: string;
    }
  | { ok: false; missing: string[] } {
  const missing: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    if (!value) missing.push(name);
    return value ?? '';
  };
  const auth = intake.alertmanager?.auth;
  const alertmanagerAuth = auth
    ? [
        ...(auth.bearer ? [{ type: 'bearer' as const, token: read(auth.bearer.tokenEnv) }] : []),
        ...(auth.basic
          ? [
              {
                type: 'basic' as const,
                username: auth.basic.username,
                password: read(auth.basic.passwordEnv),
              },
            ]
          : []),
      ]
    : undefined;
  const pagerdutySecrets = intake.pagerduty
    ? read(intake.pagerduty.webhookSecretsEnv)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const pagerdutyApiToken = intake.pagerduty?.apiTokenEnv ? read(intake.pagerduty.apiTokenEnv) : undefined;
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    ...(alertmanagerAuth ? { alertmanagerAuth } : {}),
    pagerdutySecrets,
    ...(pagerdutyApiToken ? { pagerdutyApiToken } : {}),
  };
}
