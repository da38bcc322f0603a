import { type StormMember, stormBatchMessage, stormMessage } from './blocks/storm-message.ts';
import { callSlack, type SlackClient } from './slack-api.ts';

/** Incidents listed per thread message under the storm message. */
const BATCH = 20;
/** An earlier storm message younger than this is continued after a restart, not posted again. */
const CONTINUE_WITHIN_S = 3_600;
/**
 * Incidents of a storm arrive over seconds (deliveries, parallel investigations): thread lines wait until
 * none has come for QUIET_MS, at most MAX_WAIT_MS after the oldest, so one thread message lists many.
 */
export const STORM_BATCH = { quietMs: 2_000, maxWaitMs: 10_000 } as const;

interface Board {
  ts?: string;
  members: Map<string, StormMember>;
  pending: string[];
  dirty: boolean;
  /** When the newest and the oldest waiting thread line came. */
  lastLineAt: number;
  firstLineAt: number;
}

export interface StormBoard {
  /** Counts the incident in its channel's storm (synchronously, so the next flush carries it). */
  add(channel: string, member: StormMember): void;
  /** A line about a storm incident that has no message of its own: goes to the storm thread, batched. */
  line(channel: string, text: string): void;
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
}): StormBoard {
  const { quietMs, maxWaitMs } = deps.batch ?? STORM_BATCH;
  const boards = new Map<string, Board>();
  const boardOf = (channel: string) => {
    let board = boards.get(channel);
    if (!board) {
      board = { members: new Map(), pending: [], dirty: false, lastLineAt: 0, firstLineAt: 0 };
      boards.set(channel, board);
    }
    return board;
  };
  const queueLine = (board: Board, text: string) => {
    const now = Date.now();
    if (board.pending.length === 0) board.firstLineAt = now;
    board.lastLineAt = now;
    board.pending.push(text);
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
  const postLines = async (channel: string, board: Board) => {
    if (!board.ts) return; // no storm message yet: its next flush arms the batch again
    const lines = board.pending.splice(0);
    try {
      while (lines.length > 0) {
        await callSlack(deps.client, 'chat.postMessage', {
          channel,
          thread_ts: board.ts,
          ...stormBatchMessage(lines.slice(0, BATCH)),
        });
        lines.splice(0, BATCH);
      }
    } catch (error) {
      // Not sent: the next batch carries them again.
      board.pending.unshift(...lines);
      throw error;
    }
  };

  /** Our own storm message of the last hour in this channel, so a restart continues it. */
  const findRecent = async (channel: string): Promise<string | undefined> => {
    const history = (await callSlack(deps.client, 'conversations.history', {
      channel,
      include_all_metadata: true,
      limit: 200,
      oldest: String(Math.floor(Date.now() / 1_000) - CONTINUE_WITHIN_S),
    })) as {
      messages?: {
        ts?: string;
        metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
      }[];
    };
    return history.messages?.find(
      (m) => m.metadata?.event_type === deps.eventType && m.metadata.event_payload?.storm === channel,
    )?.ts;
  };

  return {
    add(channel, member) {
      const board = boardOf(channel);
      if (!board.members.has(member.id)) queueLine(board, member.title);
      board.members.set(member.id, member);
      board.dirty = true;
    },
    line(channel, text) {
      queueLine(boardOf(channel), text);
    },
    async flush(channel) {
      const board = boardOf(channel);
      if (!board.dirty) return;
      board.dirty = false;
      try {
        const content = stormMessage([...board.members.values()]);
        board.ts ??= await findRecent(channel);
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
