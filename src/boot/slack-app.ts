import type pino from 'pino';
import type { Config, Env } from '../config/index.ts';
import type { SlackSection } from '../config/sections/slack.ts';
import type { Alert, Clock } from '../domain/index.ts';
import type { IncidentPipeline } from '../govern/incident-pipeline.ts';
import type { RemediationService } from '../govern/service.ts';
import { connectionCheck, type HealthRegistry } from '../health/index.ts';
import { createPagerDutyIncidentReader, parseSlackAlertMessage } from '../observe/intake/index.ts';
import type { SlackRetryOptions } from '../slack/index.ts';
import { createSlackApp, type EdgeLogger, type SendQueue } from '../slack/index.ts';

export interface SlackAppWiring {
  readonly config: Config;
  readonly env: Env;
  readonly slack: SlackSection;
  readonly botToken: string;
  readonly pagerdutyApiToken?: string | undefined;
  readonly service: RemediationService;
  readonly pipeline: IncidentPipeline;
  readonly onSlackAlert: () => void;
  readonly logger: pino.Logger;
  readonly edgeLogger: EdgeLogger;
  readonly clock: Clock;
  readonly queue: SendQueue;
  readonly retryConfig: SlackRetryOptions;
  readonly health: HealthRegistry;
}

/**
 * The Bolt app (HTTP or Socket Mode): commands and clicks go to the remediation service, alerts that
 * Alertmanager or PagerDuty post in a channel go to the pipeline, questions in a thread get answered; its
 * connection is a readiness check.
 */
export function wireSlackApp(options: SlackAppWiring) {
  const { config, env, slack, clock, logger, pipeline } = options;
  const section = config.intake.pagerduty;
  const pagerduty = options.pagerdutyApiToken
    ? createPagerDutyIncidentReader({
        token: options.pagerdutyApiToken,
        ...(section?.apiUrl ? { baseUrl: section.apiUrl } : {}),
        ...(section?.serviceLabels ? { serviceLabels: section.serviceLabels } : {}),
      })
    : undefined;
  const app = createSlackApp({
    mode: slack.mode,
    tokens: {
      botToken: options.botToken,
      ...(env.slack.appToken ? { appToken: env.slack.appToken } : {}),
      ...(env.slack.signingSecret ? { signingSecret: env.slack.signingSecret } : {}),
    },
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    service: options.service,
    onChannelMessage: async (message) => {
      const parsed = parseSlackAlertMessage(message, config.intake.slack.sources, clock.now());
      if (parsed.kind !== 'alerts') return;
      options.onSlackAlert();
      // A PagerDuty app message names an incident; its details (service, and so its target) come from the API.
      const alerts: Alert[] = [];
      for (const alert of parsed.alerts) {
        if (!pagerduty || parsed.source.kind !== 'pagerduty') {
          alerts.push(alert);
          continue;
        }
        const enriched = await pagerduty.enrich(alert);
        if (enriched.problem)
          logger.warn({ problem: enriched.problem }, 'PagerDuty incident details unavailable');
        alerts.push(enriched.alert);
      }
      await pipeline.handleAlerts(alerts);
    },
    onThreadQuestion: (question) => pipeline.answerQuestion(question),
    replyWithoutMention: slack.replyWithoutMention,
    logger: options.edgeLogger,
    clock,
    queue: options.queue,
    retryConfig: options.retryConfig,
  });
  options.health.add(
    connectionCheck({
      name: 'slack',
      connection: app.connection,
      graceMs: config.intake.health.slackDownGrace,
      advice:
        'Belay keeps taking alerts but cannot post or hear clicks: check Slack status, egress to wss-primary.slack.com and the app-level token.',
    }),
  );
  return app;
}
