import { z } from 'zod';
import { durationSchema } from '../../domain/index.ts';

const channelId = z
  .string()
  .regex(
    /^[CG][A-Z0-9]{2,20}$/,
    'must be a Slack channel id like C0123ABCD (channel details → About → Channel ID)',
  );

/** Below Kubernetes' default terminationGracePeriodSeconds (30 s), so Belay leaves before it is killed. */
export const DEFAULT_STOP_GRACE = 10_000;

/**
 * The `slack:` section of belay.yaml. Tokens are not here: they are secrets and come from the environment
 * (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET).
 */
export const slackSectionSchema = z
  .object({
    /** socket: no public URL needed (default); http: Slack calls /slack/events, verified by the signing secret. */
    mode: z.enum(['socket', 'http']).default('socket'),
    /** HTTP mode's port (shared with the Alertmanager and PagerDuty webhooks). */
    port: z.number().int().min(0).max(65_535).default(3000),
    /** GovSlack: https://slack-gov.com/api/ ; absent means slack.com. */
    apiUrl: z.url().optional(),
    /** Where incidents that did not come from a channel message are posted. */
    incidentChannel: channelId,
    digest: z
      .object({
        channel: channelId,
        /** Cron expression (5 or 6 fields), evaluated in `timezone`. */
        schedule: z.string().min(9).default('0 9 * * 1'),
        timezone: z.string().default('UTC'),
      })
      .strict()
      .optional(),
    /** How long a user group's members are cached before asking Slack again. */
    approverGroupTtl: durationSchema.default(300_000),
    /** Answer any reply in an incident thread, not only replies that mention @belay. */
    replyWithoutMention: z.boolean().default(false),
    /** Post a quiet "would have …" line in the thread for dry-run rules; false: only the audit log has them. */
    dryRunLines: z.boolean().default(true),
    /** How long a stopping Belay may keep sending before it exits; unsent messages resume at the next start. */
    stopGrace: durationSchema.default(DEFAULT_STOP_GRACE),
  })
  .strict();
export type SlackSection = z.infer<typeof slackSectionSchema>;
