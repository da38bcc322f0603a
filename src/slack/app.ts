import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type webApi } from '@slack/bolt';
import type { Clock } from '../domain/index.ts';
import type { RemediationService } from '../govern/service.ts';
import { boltLogger, type EdgeLogger } from './edge-logger.ts';
import { type ChannelMessage, registerListeners, type ThreadQuestion } from './listeners/index.ts';
import { refuseFutureTimestamps } from './request-timestamp-guard.ts';
import { createSeenMessages } from './seen-messages.ts';
import { createSendQueue, type SendQueue } from './send-queue.ts';
import { createSocketReceiver, type SocketConnection } from './socket-receiver.ts';

export interface SlackTokens {
  /** xoxb-…: the bot token every Web API call uses. */
  readonly botToken: string;
  /** xapp-… with connections:write: Socket Mode only. */
  readonly appToken?: string;
  /** HTTP mode only: Bolt verifies every request's signature with it. */
  readonly signingSecret?: string;
}

export interface SlackAppOptions {
  readonly mode: 'socket' | 'http';
  readonly tokens: SlackTokens;
  /** Web API base: GovSlack (`https://slack-gov.com/api/`) or a fake in tests. */
  readonly slackApiUrl?: string;
  readonly service: RemediationService;
  readonly onChannelMessage: (message: ChannelMessage) => Promise<void>;
  readonly onThreadQuestion: (question: ThreadQuestion) => Promise<string | undefined>;
  readonly alertSources?: { readonly botIds: readonly string[]; readonly appIds: readonly string[] };
  readonly replyWithoutMention?: boolean;
  readonly logger: EdgeLogger;
  readonly clock: Clock;
  /** Shared with the notifier so every message to a channel goes out in one order. */
  readonly queue?: SendQueue;
  /** HTTP mode: extra routes on the same port (Alertmanager and PagerDuty webhooks, health). */
  readonly customRoutes?: CustomRoute[];
  /** The WebClient's own retry policy; tests shorten it. */
  readonly retryConfig?: webApi.RetryOptions;
}

export interface SlackApp {
  readonly app: App;
  readonly queue: SendQueue;
  /** HTTP mode listens on `port` (0 picks a free one) and returns it; Socket Mode connects out. */
  start(port?: number): Promise<{ port?: number }>;
  stop(): Promise<void>;
  /** Socket Mode: whether the socket to Slack is up, and since when. HTTP mode: undefined (Slack calls in). */
  connection(): SocketConnection | undefined;
}

/** Builds the Bolt app for Socket Mode (default: no public URL needed) or HTTP mode (signed requests). */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { tokens } = options;
  if (options.mode === 'socket' && !tokens.appToken) {
    throw new Error(
      'Socket Mode needs an app-level token (xapp-…, scope connections:write): set SLACK_APP_TOKEN, or switch slack.mode to http (see README, "Slack app").',
    );
  }
  if (options.mode === 'http' && !tokens.signingSecret) {
    throw new Error(
      'HTTP mode needs the signing secret to verify that requests come from Slack: set SLACK_SIGNING_SECRET (see README, "Slack app").',
    );
  }
  const queue = options.queue ?? createSendQueue({ logger: options.logger });
  const clientOptions: webApi.WebClientOptions = {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl, allowAbsoluteUrls: false } : {}),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    // A 429 goes back to the send queue, which honours Retry-After: one retry layer, not two.
    rejectRateLimitedCalls: true,
  };
  // Our receiver, not Bolt's SocketModeReceiver: see socket-receiver.ts for what it does differently.
  const socketReceiver =
    options.mode === 'socket' && tokens.appToken
      ? createSocketReceiver({
          appToken: tokens.appToken,
          ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
          ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
          logger: options.logger,
        })
      : undefined;
  const app = socketReceiver
    ? new App({
        token: tokens.botToken,
        receiver: socketReceiver,
        clientOptions,
        logger: boltLogger(options.logger),
        deferInitialization: true,
      })
    : new App({
        token: tokens.botToken,
        receiver: httpReceiver(tokens.signingSecret ?? '', options),
        clientOptions,
        logger: boltLogger(options.logger),
        deferInitialization: true,
      });

  registerListeners(app, {
    service: options.service,
    queue,
    clock: options.clock,
    logger: options.logger,
    seen: createSeenMessages(),
    onChannelMessage: options.onChannelMessage,
    onThreadQuestion: options.onThreadQuestion,
    alertSources: options.alertSources ?? { botIds: [], appIds: [] },
    replyWithoutMention: options.replyWithoutMention ?? false,
  });
  app.error(async (error) => {
    // Listeners catch and tell the user themselves; this is what escaped them (a bug), kept for the log.
    options.logger.error('unhandled error in a Slack listener', { code: error.code, error: error.message });
  });

  return {
    app,
    queue,
    async start(port = 3000) {
      // auth.test checks the bot token once, before the first event, so a wrong token fails at start-up.
      await app.init();
      if (options.mode === 'socket') {
        await app.start();
        return {};
      }
      const server = (await app.start(port)) as Server;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await queue.drain();
      await app.stop();
    },
    connection: () => socketReceiver?.connection(),
  };
}

/** Bolt's HTTP receiver, with requests stamped in the future refused as stale ones are. */
function httpReceiver(signingSecret: string, options: SlackAppOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret,
    customRoutes: options.customRoutes ?? [],
    // Ack first, work after: a slow use-case must not make Slack retry or time out.
    processBeforeResponse: false,
    logger: boltLogger(options.logger),
  });
  // The system clock, as Bolt's own staleness check uses: the two bounds must agree.
  receiver.requestListener = refuseFutureTimestamps(receiver.requestListener, () => Date.now());
  return receiver;
}
