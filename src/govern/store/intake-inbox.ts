import { fdatasyncSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Alert, alertSchema } from '../../domain/index.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';
import { writeAllSync } from './write-all.ts';

export const INBOX_FILE_NAME = 'inbox.jsonl';
export const INBOX_CURSOR_FILE_NAME = 'inbox-cursor.json';
/** Once everything in the file is processed and it is this big, the next append starts it afresh. */
const COMPACT_BYTES = 1_048_576;
/**
 * How long the processed cursor may lag on disk. Writing it (two fsyncs) after every delivery competed
 * with webhook acks; a lagging cursor only means a crash replays a few processed deliveries, which
 * correlation already takes as repeats (as it does Alertmanager's own resends).
 */
const CURSOR_FLUSH_MS = 200;

const entrySchema = z
  .object({ seq: z.number().int().positive(), source: z.string().min(1), alerts: z.array(alertSchema) })
  .strict();
export type InboxEntry = z.infer<typeof entrySchema>;
const cursorSchema = z.object({ processed: z.number().int().nonnegative() }).strict();

export interface IntakeInbox {
  /** Resolves with the entry's seq once it is on disk (fsync); rejects when it is not, so the sender retries. */
  append(source: string, alerts: readonly Alert[]): Promise<number>;
  /** Entries accepted before the last stop and not yet processed, in order; replay them on start-up. */
  readonly pending: readonly InboxEntry[];
  /**
   * Marks one entry processed. The persisted cursor only moves over an unbroken run of processed seqs, so
   * an entry whose processing failed is replayed by the next start-up rather than skipped. It is written
   * within CURSOR_FLUSH_MS (one write for every delivery processed meanwhile) and on close.
   */
  processed(seq: number): Promise<void>;
  /** Why the inbox cannot keep deliveries right now, or undefined while it can. */
  problem(): string | undefined;
  close(): Promise<void>;
}

/**
 * The intake's write-ahead file: JSON lines, one per accepted delivery, fsynced (one fsync for every
 * delivery waiting) before the webhook answers. A separate cursor file says how far processing got.
 */
export async function createIntakeInbox(options: { dir: string }): Promise<IntakeInbox> {
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, INBOX_FILE_NAME);
  const cursorFile = join(options.dir, INBOX_CURSOR_FILE_NAME);
  let cursor = await readCursor(cursorFile);
  const { entries, goodBytes } = await readEntries(file);
  const pending = entries.filter((e) => e.seq > cursor);
  let lastSeq = Math.max(cursor, ...entries.map((e) => e.seq));
  // Created if missing, then opened for positioned writes: each batch goes exactly where the last one ended.
  await (await open(file, 'a')).close();
  const handle = await open(file, 'r+');
  // A torn last line (a crash mid-write, never acknowledged) is cut off so the next line starts clean.
  await handle.truncate(goodBytes);
  let size = goodBytes;
  let appendProblem: string | undefined;
  let cursorProblem: string | undefined;
  const done = new Set<number>();
  let durableCursor = cursor;

  /** The highest seq in the file: only when the cursor is on disk past it may the file start afresh. */
  let lastSeqWritten = lastSeq;
  const log: GroupCommit<{ seq: number; line: string }> = createGroupCommit(
    async (batch) => {
      // Everything processed but the cursor not yet on disk: write it now, so the file can start afresh.
      if (cursor >= lastSeqWritten && durableCursor < cursor && size >= COMPACT_BYTES) await flushCursor();
      if (durableCursor >= lastSeqWritten && size >= COMPACT_BYTES) {
        await handle.truncate(0);
        size = 0;
      }
      const buffer = Buffer.from(batch.map((b) => b.line).join(''));
      try {
        // Synchronous on purpose: the inbox lives on the intake thread, where blocking for the write is the
        // job, and an fsync queued in libuv's pool would wait behind the main thread's file work.
        writeAllSync(handle.fd, buffer, size);
        fdatasyncSync(handle.fd);
      } catch (cause) {
        // Cut the partial write off, so the next delivery's line does not run into it.
        await handle.truncate(size).catch(() => undefined);
        appendProblem = `cannot write the intake inbox ${file}: ${(cause as Error).message}; check the volume (full? read-only?)`;
        throw cause;
      }
      size += buffer.length;
      lastSeqWritten = Math.max(lastSeqWritten, ...batch.map((b) => b.seq));
      appendProblem = undefined;
    },
    { gather: () => new Promise<void>((resolve) => setImmediate(resolve)) },
  );

  const cursorWriter: GroupCommit<number> = createGroupCommit(async (seqs) => {
    const target = Math.max(...seqs);
    if (target <= durableCursor) return;
    try {
      await writeDurably(cursorFile, JSON.stringify({ processed: target }));
    } catch (cause) {
      cursorProblem = `cannot write the intake cursor ${cursorFile}: ${(cause as Error).message}; check the volume (full? read-only?)`;
      throw cause;
    }
    cursorProblem = undefined;
    durableCursor = target;
  });

  let flushTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const flushCursor = (target = cursor): Promise<void> => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    return cursorWriter.add(target);
  };

  return {
    pending,
    async append(source, alerts) {
      const seq = ++lastSeq;
      const line = `${JSON.stringify({ seq, source, alerts })}\n`;
      await log.add({ seq, line });
      return seq;
    },
    processed(seq) {
      // Confirmed after the stop: not recorded, so the next start-up replays it (as if it had not finished).
      if (closed) return Promise.resolve();
      done.add(seq);
      while (done.has(cursor + 1)) {
        done.delete(cursor + 1);
        cursor += 1;
      }
      // A failed write is reported by problem() (health) and retried by the next flush.
      flushTimer ??= setTimeout(() => flushCursor().catch(() => undefined), CURSOR_FLUSH_MS);
      return Promise.resolve();
    },
    problem: () => appendProblem ?? cursorProblem,
    async close() {
      // What was confirmed before the stop, taken now: processing that finishes during the close is replayed.
      closed = true;
      const target = cursor;
      await log.idle().catch(() => undefined);
      await flushCursor(target).catch(() => undefined);
      await handle.close();
    },
  };
}

async function readCursor(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const parsed = cursorSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new Error(
      `The intake cursor ${file} is not valid (${text.slice(0, 80)}). Move it aside to replay the whole inbox.`,
    );
  }
  return parsed.data.processed;
}

/** The valid entries, and how many bytes of the file they fill: a torn or invalid tail is dropped. */
async function readEntries(file: string): Promise<{ entries: InboxEntry[]; goodBytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], goodBytes: 0 };
    throw error;
  }
  const entries: InboxEntry[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
    const parsed = entrySchema.safeParse(safeJson(bytes.subarray(start, end).toString('utf8')));
    if (!parsed.success) break;
    entries.push(parsed.data);
    start = end + 1;
  }
  return { entries, goodBytes: start };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Temp file, fsync, rename, fsync the directory: a crash leaves the old file or the new one. */
async function writeDurably(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  await writeFile(temp, text);
  const h = await open(temp, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(temp, file);
  const dir = await open(join(file, '..'), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
