import type pino from 'pino';
import type { Config } from '../config/index.ts';
import type { SlackSection } from '../config/sections/slack.ts';
import type { Clock } from '../domain/index.ts';
import type { IncidentPresenter } from '../govern/incident-presenter.ts';
import { startOutcomeChecks } from '../govern/outcome-schedule.ts';
import type { OutcomeTracker } from '../govern/outcome-tracker.ts';
import { startSchedules } from '../govern/schedules.ts';
import type { AuditLog, StateStore } from '../govern/store/index.ts';
import type { SlackWebClient } from '../slack/index.ts';
import { callSlack, type SendQueue, weeklyDigestMessage } from '../slack/index.ts';

export interface ScheduleWiring {
  readonly config: Config;
  readonly slack: SlackSection;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly presenter: IncidentPresenter;
  readonly clock: Clock;
  readonly logger: pino.Logger;
  readonly queue: SendQueue;
  readonly client: SlackWebClient;
  /** Measures what ran against its alert each minute (src/govern/outcome-schedule.ts). */
  readonly outcomes?: OutcomeTracker;
}

/** The expiry sweep, the pruning of what the state no longer needs, and the weekly digest (when configured). */
export function wireSchedules(options: ScheduleWiring) {
  const { config, slack, queue, client } = options;
  const outcomeChecks = options.outcomes
    ? startOutcomeChecks({
        outcomes: options.outcomes,
        audit: options.audit,
        clock: options.clock,
        onError: (error) =>
          options.logger.error({ err: error, job: 'outcome-check' }, 'a scheduled job failed'),
      })
    : undefined;
  const schedules = startSchedules({
    store: options.store,
    audit: options.audit,
    clock: options.clock,
    retention: {
      ledgerMs: Math.max(3_600_000, ...config.rateLimits.map((l) => l.window)),
      historyMs: config.store.retention,
    },
    onExpired: (p) =>
      options.presenter.proposalChanged(
        p,
        undefined,
        'Expired: nobody decided in time, so nothing was run. Ask again if it is still needed.',
      ),
    onError: (job, error) => options.logger.error({ err: error, job }, 'a scheduled job failed'),
    ...(slack.digest
      ? {
          digest: {
            schedule: slack.digest.schedule,
            timezone: slack.digest.timezone,
            post: async (digest) => {
              const channel = slack.digest?.channel ?? slack.incidentChannel;
              await queue.send(channel, () =>
                callSlack(client, 'chat.postMessage', { channel, ...weeklyDigestMessage(digest) }),
              );
            },
          },
        }
      : {}),
  });
  return {
    ...schedules,
    stop: async () => {
      await Promise.all([schedules.stop(), outcomeChecks?.stop()]);
    },
  };
}
