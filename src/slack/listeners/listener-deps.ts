import type { Clock } from '../../domain/index.ts';
import type { RemediationService } from '../../govern/service.ts';
import type { EdgeLogger } from '../edge-logger.ts';
import type { SeenMessages } from '../seen-messages.ts';
import type { SendQueue } from '../send-queue.ts';

/** A message another tool (Alertmanager, PagerDuty) posted in a channel; intake parses it. */
export interface ChannelMessage {
  readonly channel: string;
  readonly ts: string;
  readonly text?: string;
  readonly botId?: string;
  readonly appId?: string;
  readonly botName?: string;
  readonly username?: string;
  readonly attachments?: readonly unknown[];
  readonly blocks?: readonly unknown[];
}

/** A person's question in a thread (or a mention of the bot). */
export interface ThreadQuestion {
  readonly channel: string;
  /** The thread root: an incident thread when govern knows it. */
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
  readonly text: string;
}

export interface ListenerDeps {
  readonly service: RemediationService;
  readonly queue: SendQueue;
  readonly clock: Clock;
  readonly logger: EdgeLogger;
  readonly seen: SeenMessages;
  readonly onChannelMessage: (message: ChannelMessage) => Promise<void>;
  /** Returns the answer to post in the thread, or nothing when the thread is not Belay's to answer. */
  readonly onThreadQuestion: (question: ThreadQuestion) => Promise<string | undefined>;
  readonly alertSources: { readonly botIds: readonly string[]; readonly appIds: readonly string[] };
  readonly replyWithoutMention: boolean;
}
