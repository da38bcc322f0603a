import {
  type App,
  defaultProcessEventErrorHandler,
  type Receiver,
  type ReceiverEvent,
  type webApi,
} from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { boltLogger, type EdgeLogger } from './edge-logger.ts';
import { createSeenMessages } from './seen-messages.ts';

export interface SocketReceiverOptions {
  /** xapp-… with connections:write; only `apps.connections.open` sees it. */
  readonly appToken: string;
  /** Web API base for `apps.connections.open`: GovSlack (`https://slack-gov.com/api/`) or a fake in tests. */
  readonly slackApiUrl?: string;
  /** Retries of `apps.connections.open`; socket-mode's own default keeps reconnecting through outages. */
  readonly retryConfig?: webApi.RetryOptions;
  readonly logger: EdgeLogger;
}

export interface SocketReceiver extends Receiver {
  /** Resolves once Slack said hello on the socket. */
  start(): Promise<void>;
  /** Resolves once the socket is closed, so a stopped app leaves nothing open. */
  stop(): Promise<void>;
  /** Whether Slack's hello arrived on the open socket; `since` is when that last changed (ms since epoch). */
  connection(): SocketConnection;
}

export interface SocketConnection {
  readonly up: boolean;
  readonly since: number;
}

interface SlackEnvelope {
  readonly ack: (response?: Record<string, unknown>) => Promise<void>;
  readonly envelope_id: string;
  readonly type: string;
  readonly body: Record<string, unknown>;
  readonly retry_num?: number;
  readonly retry_reason?: string;
}

/**
 * Socket Mode transport for Bolt, on @slack/socket-mode's client. Bolt's own SocketModeReceiver shares the
 * App's `clientOptions` object with the socket client, which then writes its reconnect retry policy
 * (100 retries) into it, and every listener's Web client made after that inherits it; and its `stop()`
 * returns before the socket is closed. Here the socket client gets its own options — the same API base
 * (`apps.connections.open` must go to GovSlack or the test fake too), its own retries — and `stop()`
 * waits for the close. It also drops redelivered envelopes (same envelope_id, or an Events API retry of
 * the same event_id) after acking them, so a Slack retry never runs a use-case twice.
 */
export function createSocketReceiver(options: SocketReceiverOptions): SocketReceiver {
  const logger = boltLogger(options.logger);
  const client = new SocketModeClient({
    appToken: options.appToken,
    logger,
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl, allowAbsoluteUrls: false } : {}),
      ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    },
  });
  const delivered = createSeenMessages();
  let app: App | undefined;
  // Read by the health check: events are the client's own state machine, not errors on the processing path.
  let connection: SocketConnection = { up: false, since: Date.now() };
  const mark = (up: boolean) => {
    if (connection.up !== up) connection = { up, since: Date.now() };
  };
  client.on('connected', () => mark(true));
  for (const state of ['close', 'disconnected', 'reconnecting']) client.on(state, () => mark(false));

  client.on('slack_event', async (envelope: SlackEnvelope) => {
    const eventId = envelope.type === 'events_api' ? envelope.body.event_id : undefined;
    const key = typeof eventId === 'string' ? `event:${eventId}` : `envelope:${envelope.envelope_id}`;
    if (!delivered.firstTime(key)) {
      options.logger.info('Slack delivered an envelope again; acked and dropped', {
        type: envelope.type,
        envelopeId: envelope.envelope_id,
        retryNum: envelope.retry_num,
        retryReason: envelope.retry_reason,
      });
      await envelope.ack().catch((error: unknown) => {
        options.logger.warn('could not ack a redelivered envelope', { error: String(error) });
      });
      return;
    }
    let acked = false;
    const event: ReceiverEvent = {
      body: envelope.body,
      ...(envelope.retry_num === undefined ? {} : { retryNum: envelope.retry_num }),
      ...(envelope.retry_reason === undefined ? {} : { retryReason: envelope.retry_reason }),
      // One ack per envelope, whichever of Bolt and the listener sends it first.
      ack: async (response?: Record<string, unknown>) => {
        if (acked) return;
        acked = true;
        await envelope.ack(response);
      },
    };
    try {
      if (!app) throw new Error('the Socket Mode receiver got an envelope before Bolt initialised it');
      await app.processEvent(event);
    } catch (error) {
      if (await defaultProcessEventErrorHandler({ error: error as Error, logger, event })) await event.ack();
    }
  });

  return {
    init(bolt) {
      app = bolt;
    },
    async start() {
      await client.start();
    },
    async stop() {
      await client.disconnect();
    },
    connection: () => connection,
  };
}
