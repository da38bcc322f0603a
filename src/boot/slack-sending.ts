import type pino from 'pino';
import type { Config } from '../config/index.ts';
import type { SlackSection } from '../config/sections/slack.ts';
import type { Clock } from '../domain/index.ts';
import { wasInvestigated } from '../govern/incident-investigated.ts';
import type { SlackOutboxFile, StateStore } from '../govern/store/index.ts';
import type { FleetReading } from '../observe/kubernetes/index.ts';
import type { SlackRetryOptions } from '../slack/index.ts';
import {
  boltLogger,
  createSendQueue,
  createSlackLookupClient,
  createSlackNotifier,
  createSlackWebClient,
  createUserGroupResolver,
  edgeLoggerFromPino,
} from '../slack/index.ts';

export interface SlackSendingOptions {
  readonly config: Config;
  readonly slack: SlackSection;
  readonly botToken: string;
  readonly root: pino.Logger;
  readonly store: StateStore;
  readonly outbox: SlackOutboxFile;
  readonly clock: Clock;
  readonly retryConfig?: SlackRetryOptions;
  readonly onRetry: (reason: 'rate_limited' | 'transient') => void;
  /** The fleet size a storm message measures its share against (a cache read in the background). */
  readonly fleet?: () => FleetReading;
}

/**
 * Everything Belay sends to Slack goes through here: one send queue (a channel's messages keep their
 * order through 429s), one WebClient that never retries by itself (the queue is the one retry layer), the
 * durable outbox, and the user-group lookups approvals need. Every line is pino JSON (one log stream).
 */
export function wireSlackSending(options: SlackSendingOptions) {
  const { config, slack, botToken, store, outbox, clock } = options;
  const edgeLogger = edgeLoggerFromPino(options.root.child({ component: 'slack' }));
  const slackLogger = boltLogger(edgeLogger);
  const queue = createSendQueue({ logger: edgeLogger, onRetry: options.onRetry });
  const retryConfig = options.retryConfig ?? { retries: 0 };
  const client = createSlackWebClient(botToken, { apiUrl: slack.apiUrl, retryConfig, logger: slackLogger });
  const notifier = createSlackNotifier({
    client,
    // The incident's graph goes through the same client (files:write).
    files: client,
    queue,
    outbox,
    clock,
    incidentChannel: slack.incidentChannel,
    ...(options.fleet ? { fleet: options.fleet } : {}),
    // Investigated ones only: one killed before its investigation gets its card, and its line, later.
    openIncidents: () => store.listIncidents({ status: 'open' }).filter((i) => wasInvestigated(store, i)),
    refs: {
      get: async (id) => store.getIncident(id)?.slackMessage,
      set: async (id, ref) => {
        const incident = store.getIncident(id);
        if (incident) await store.putIncident({ ...incident, slackMessage: ref });
      },
    },
  });
  // Every group the policy names: approvers, operators and security (who may flip the switches).
  const groups = createUserGroupResolver({
    client: createSlackLookupClient(botToken, {
      apiUrl: slack.apiUrl,
      logger: slackLogger,
      ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    }),
    ttlMs: slack.approverGroupTtl,
    clock,
    groups: [
      ...new Set([
        ...config.namespaceClasses.flatMap((c) => c.approvers.groups),
        ...config.operators.groups,
        ...(config.operators.security?.groups ?? []),
      ]),
    ],
    logger: edgeLogger,
  });
  return { edgeLogger, queue, client, notifier, groups, retryConfig };
}
