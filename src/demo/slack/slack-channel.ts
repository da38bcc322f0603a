import type { Clock } from '../../domain/index.ts';

/** A message as the playground's Slack holds it: what Belay posted (or a person typed) and where. */
export interface ChannelMessage {
  readonly ts: string;
  readonly channel: string;
  /** Who posted it: Belay's bot user id, or the person's. */
  readonly user: string;
  text: string;
  blocks?: unknown[];
  readonly threadTs?: string;
  /** Only this user sees it ("Only visible to you"), as with chat.postEphemeral and ephemeral responses. */
  readonly ephemeralTo?: string;
  metadata?: { readonly event_type: string; readonly event_payload: object };
  edited?: boolean;
  /** Files shared with the message (files.completeUploadExternal), as Slack lists them. */
  files?: readonly {
    readonly id: string;
    readonly title: string;
    readonly mimetype: string;
    readonly url_private: string;
  }[];
}

export interface MessageContent {
  readonly text?: unknown;
  readonly blocks?: unknown;
  readonly metadata?: unknown;
}

/**
 * The playground's Slack workspace state: every channel's messages, threads and ephemeral notes, in the
 * order they were posted. The Web API writes it; the page reads it; `version` says when it changed.
 */
export class SlackChannels {
  private readonly messages: ChannelMessage[] = [];
  private counter = 0;
  private changes = 0;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get version(): number {
    return this.changes;
  }

  /** Slack's ts: seconds since the epoch on the demo clock, with a counter that keeps each one unique. */
  private nextTs(): string {
    const seconds = Math.floor(this.clock.now().getTime() / 1_000);
    return `${seconds}.${String(++this.counter).padStart(6, '0')}`;
  }

  post(
    channel: string,
    user: string,
    content: MessageContent,
    where: { threadTs?: string; ephemeralTo?: string } = {},
  ): ChannelMessage {
    const message: ChannelMessage = {
      ts: this.nextTs(),
      channel,
      user,
      text: typeof content.text === 'string' ? content.text : '',
      ...(Array.isArray(content.blocks) ? { blocks: content.blocks } : {}),
      ...(where.threadTs ? { threadTs: where.threadTs } : {}),
      ...(where.ephemeralTo ? { ephemeralTo: where.ephemeralTo } : {}),
      ...(isMetadata(content.metadata) ? { metadata: content.metadata } : {}),
    };
    this.messages.push(message);
    this.changes += 1;
    return message;
  }

  /** chat.update: a new text and blocks in place; undefined when there is no such message. */
  update(channel: string, ts: string, content: MessageContent): ChannelMessage | undefined {
    const message = this.find(channel, ts);
    if (!message || message.ephemeralTo) return undefined;
    if (typeof content.text === 'string') message.text = content.text;
    if (Array.isArray(content.blocks)) message.blocks = content.blocks;
    if (isMetadata(content.metadata)) message.metadata = content.metadata;
    message.edited = true;
    this.changes += 1;
    return message;
  }

  remove(channel: string, ts: string): boolean {
    const at = this.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (at < 0) return false;
    this.messages.splice(at, 1);
    this.changes += 1;
    return true;
  }

  find(channel: string, ts: string): ChannelMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Everything in `channel`, oldest first: top-level messages and thread replies alike. */
  list(channel: string): readonly ChannelMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }
}

function isMetadata(value: unknown): value is { event_type: string; event_payload: object } {
  const m = value as { event_type?: unknown; event_payload?: unknown } | undefined;
  return typeof m?.event_type === 'string' && typeof m.event_payload === 'object' && m.event_payload !== null;
}
