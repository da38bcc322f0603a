import {
  type StormFleet,
  type StormMember,
  stormBatchMessage,
  stormMessage,
} from './blocks/storm-message.ts';
import { findOwnPost } from './own-messages.ts';
import { callSlack, type SlackClient } from './slack-api.ts';

/** Incidents listed per thread message under the storm message. */
const BATCH = 20;
/** An earlier storm message younger than this is continued after a restart, not posted again. */
const CONTINUE_WITHIN_S = 3_600;
/**
 * A storm no incident has joined for this long has passed: the next storm incident starts a message of its
 * own, counted afresh, instead of updating an old message far up the channel with both storms' members.
 */
export const STORM_OVER_MS = CONTINUE_WITHIN_S * 1_000;
/**
 * Incidents of a storm arrive over seconds (deliveries, parallel investigations): thread lines wait until
 * none has come for QUIET_MS, at most MAX_WAIT_MS after the oldest, so one thread message lists many.
 */
export const STORM_BATCH = { quietMs: 2_000, maxWaitMs: 10_000 } as const;

/** A line for the storm thread, and the outbox entry that is marked sent once it is posted. */
export interface StormLine {
  readonly id: string;
  readonly text: string;
  /** From the outbox after a restart: it may have been posted already, so the thread is checked first. */
  readonly resumed?: boolean;
}

interface Board {
  ts?: string;
  members: Map<string, StormMember>;
  pending: StormLine[];
  dirty: boolean;
  /** When the newest and the oldest waiting thread line came. */
  lastLineAt: number;
  firstLineAt: number;
  /** When the newest member joined (the notifier's clock). */
  joinedAt: number;
  /** Look for a recent storm message to continue: only the first board after a start, not a later storm. */
  continueRecent: boolean;
}

export interface StormBoard {
  /**
   * Counts the incident in its channel's storm (synchronously, so the next flush carries it). A new member
   * gets a thread line (its title) that `line.id` stands for.
   */
  add(channel: string, member: StormMember, line: Omit<StormLine, 'text'>): void;
  /**
   * Counts a member listed before a restart, with no new thread line: a storm message continued after the
   * restart keeps counting it. Nothing is sent until the next flush.
   */
  known(channel: string, member: StormMember): void;
  /**
   * A line about a storm incident that has no message of its own: goes to the channel's latest storm
   * thread, batched, prefixed with the incident's title by the caller.
   */
  line(channel: string, line: StormLine): void;
  /** Is the line of this outbox entry still waiting? Then it is not sent yet, whatever the message did. */
  holds(id: string): boolean;
  /** Posts or updates the storm message and posts waiting thread lines; a no-op when nothing changed. */
  flush(channel: string): Promise<void>;
}

/**
 * One message per channel per storm, updated in place, with the incidents listed in its thread in batches.
 * Flushes run on the channel's storm lane of the send queue, so they never hold up other incidents.
 */
export function createStormBoard(deps: {
  client: SlackClient;
  eventType: string;
  /** Ends every batching wait: the lines waiting are posted at once (on stop). */
  closing?: AbortSignal;
  /** Runs a batch post on the channel's storm lane (directly once Belay is stopping). */
  schedule: (channel: string, task: () => Promise<void>) => Promise<void>;
  batch?: { quietMs: number; maxWaitMs: number };
  /** The fleet the storm message measures its share against (read from a cache, never awaited). */
  fleet?: () => StormFleet;
  /** Once a batch is posted: its lines' outbox entries are marked sent (awaited before the next batch). */
  posted?: (ids: readonly string[]) => Promise<void>;
  /**
   * Milliseconds now (Belay's clock): when a storm has passed, and how far back a restart looks for its
   * message; Date.now by default.
   */
  now?: () => number;
}): StormBoard {
  const { quietMs, maxWaitMs } = deps.batch ?? STORM_BATCH;
  const now = deps.now ?? Date.now;
  const boards = new Map<string, Board>();
  /** Channels whose last storm passed while Belay ran: their next storm message is a new one. */
  const passed = new Set<string>();
  const boardOf = (channel: string) => {
    let board = boards.get(channel);
    if (!board) {
      board = {
        members: new Map(),
        pending: [],
        dirty: false,
        lastLineAt: 0,
        firstLineAt: 0,
        joinedAt: now(),
        continueRecent: !passed.has(channel),
      };
      boards.set(channel, board);
    }
    return board;
  };
  /** The channel's board for a joining member: a fresh one once the last storm has passed (and said all). */
  const joinBoard = (channel: string) => {
    const current = boards.get(channel);
    if (current && current.pending.length === 0 && now() - current.joinedAt > STORM_OVER_MS) {
      boards.delete(channel);
      passed.add(channel);
    }
    return boardOf(channel);
  };
  /** Outbox ids of the lines waiting in any channel's board. */
  const waiting = new Set<string>();
  const queueLine = (board: Board, line: StormLine) => {
    const now = Date.now();
    if (board.pending.length === 0) board.firstLineAt = now;
    board.lastLineAt = now;
    board.pending.push(line);
    waiting.add(line.id);
    board.dirty = true;
  };
  /**
   * Thread lines are posted in the background, never awaited by the incident that added them (the pipeline
   * waits for its Slack sends): once none has come for quietMs, at most maxWaitMs after the oldest, with a
   * full batch, or at once when Belay stops.
   */
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const arm = (channel: string, board: Board) => {
    clearTimeout(timers.get(channel));
    const fire = () => {
      timers.delete(channel);
      deps.closing?.removeEventListener('abort', fire);
      void deps.schedule(channel, () => postLines(channel, board)).catch(() => undefined);
    };
    const wait = Math.min(board.lastLineAt + quietMs, board.firstLineAt + maxWaitMs) - Date.now();
    if (deps.closing?.aborted || board.pending.length >= BATCH || wait <= 0) return fire();
    const timer = setTimeout(fire, wait);
    timer.unref?.();
    timers.set(channel, timer);
    deps.closing?.addEventListener('abort', fire, { once: true });
  };
  /**
   * Each batch carries its lines' outbox ids in its metadata and is marked sent once posted; a line resumed
   * after a restart is first looked for in the thread, so a batch whose marks were lost is not posted twice.
   */
  const postLines = async (channel: string, board: Board) => {
    const ts = board.ts;
    if (!ts) return; // no storm message yet: its next flush arms the batch again
    const lines = board.pending.splice(0);
    try {
      if (lines.some((l) => l.resumed)) {
        const done = await postedLineIds(channel, ts);
        const already = lines.filter((l) => done.has(l.id)).map((l) => l.id);
        if (already.length > 0) {
          await deps.posted?.(already);
          lines.splice(0, lines.length, ...lines.filter((l) => !done.has(l.id)));
          for (const id of already) waiting.delete(id);
        }
      }
      while (lines.length > 0) {
        const batch = lines.slice(0, BATCH);
        const ids = batch.map((l) => l.id);
        await callSlack(deps.client, 'chat.postMessage', {
          channel,
          thread_ts: ts,
          ...stormBatchMessage(batch.map((l) => l.text)),
          metadata: { event_type: deps.eventType, event_payload: { storm: channel, lines: ids } },
        });
        lines.splice(0, BATCH);
        for (const id of ids) waiting.delete(id);
        await deps.posted?.(ids);
      }
    } catch (error) {
      // Not sent, or not known to be (the answer was lost): the next batch carries them again, and looks
      // for them in the thread first.
      board.pending.unshift(...lines.map((l) => ({ ...l, resumed: true })));
      throw error;
    }
  };

  /** The outbox ids of the lines already in the storm thread, from the batches' metadata. */
  const postedLineIds = async (channel: string, ts: string): Promise<Set<string>> => {
    const replies = (await callSlack(deps.client, 'conversations.replies', {
      channel,
      ts,
      include_all_metadata: true,
      limit: 1_000,
    })) as { messages?: { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[] };
    const ids = new Set<string>();
    for (const m of replies.messages ?? []) {
      const lines = m.metadata?.event_type === deps.eventType ? m.metadata.event_payload?.lines : undefined;
      if (Array.isArray(lines)) for (const id of lines) if (typeof id === 'string') ids.add(id);
    }
    return ids;
  };

  /** Our own storm message of the last hour in this channel, so a restart continues it. */
  const findRecent = (channel: string) =>
    findOwnPost(deps.client, {
      channel,
      eventType: deps.eventType,
      matches: (payload) => payload.storm === channel,
      oldest: Math.floor(now() / 1_000) - CONTINUE_WITHIN_S,
    });

  return {
    add(channel, member, line) {
      const board = joinBoard(channel);
      if (!board.members.has(member.id)) queueLine(board, { ...line, text: member.title });
      board.members.set(member.id, member);
      board.joinedAt = now();
      board.dirty = true;
    },
    known(channel, member) {
      const board = boardOf(channel);
      if (!board.members.has(member.id)) board.members.set(member.id, member);
    },
    line(channel, line) {
      queueLine(boardOf(channel), line);
    },
    holds(id) {
      return waiting.has(id);
    },
    async flush(channel) {
      const board = boardOf(channel);
      if (!board.dirty) return;
      board.dirty = false;
      try {
        const content = stormMessage([...board.members.values()], deps.fleet?.());
        if (!board.ts && board.continueRecent) board.ts = await findRecent(channel);
        if (board.ts) {
          await callSlack(deps.client, 'chat.update', { channel, ts: board.ts, ...content });
        } else {
          const posted = await callSlack(deps.client, 'chat.postMessage', {
            channel,
            ...content,
            metadata: { event_type: deps.eventType, event_payload: { storm: channel } },
          });
          const ts = (posted as { ts?: unknown }).ts;
          if (typeof ts !== 'string') throw new Error('Slack accepted the storm message but returned no ts');
          board.ts = ts;
        }
      } catch (error) {
        // Not sent: the next flush (the send queue's retry, or the next incident) carries it again.
        board.dirty = true;
        throw error;
      }
      if (board.pending.length > 0) arm(channel, board);
    },
  };
}
