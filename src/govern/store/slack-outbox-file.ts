import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createGroupCommit } from './group-commit.ts';
import { writeAll } from './write-all.ts';

export const OUTBOX_FILE_NAME = 'slack-outbox.jsonl';
/** Once nothing is pending and the file is this big, the next record starts it afresh. */
const COMPACT_BYTES = 1_048_576;

const entrySchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['incident', 'thread', 'announce', 'graph']),
    channel: z.string().min(1),
    incidentId: z.string().optional(),
    threadTs: z.string().optional(),
    /** The rendered message (text, blocks): replayed as it was meant, without re-rendering. */
    message: z.record(z.string(), z.unknown()),
    /** The incident as a storm message counts it, while it is part of a storm. */
    storm: z
      .object({
        id: z.string(),
        title: z.string(),
        namespace: z.string(),
        workload: z.string().optional(),
        alert: z.string(),
        heldBack: z.string().optional(),
        pods: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    /** The incident's graph, for a `graph` entry: the PNG as base64. */
    file: z
      .object({
        filename: z.string().min(1),
        title: z.string(),
        altText: z.string(),
        pngBase64: z.string().min(1),
      })
      .strict()
      .optional(),
  })
  .strict();
export type OutboxFileEntry = z.infer<typeof entrySchema>;
const lineSchema = z.union([
  z.object({ op: z.literal('put'), entry: entrySchema }).strict(),
  z.object({ op: z.literal('sent'), id: z.string().min(1) }).strict(),
]);

export interface SlackOutboxFile {
  /** Entries recorded and not marked sent before the last stop, in the order they were recorded. */
  readonly pending: readonly OutboxFileEntry[];
  /** Resolves once the entry is on disk. */
  record(entry: OutboxFileEntry): Promise<void>;
  /** Resolves once the mark is on disk. */
  sent(id: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * What Belay means to post to Slack, as JSON lines: a `put` before the send, a `sent` after. Whatever has a
 * put and no sent at start-up was not (known to be) delivered, and is resumed.
 */
export async function createSlackOutboxFile(options: { dir: string }): Promise<SlackOutboxFile> {
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, OUTBOX_FILE_NAME);
  const { pending: known, goodBytes } = await readOutbox(file);
  const open_ = new Map(known.map((e) => [e.id, e]));
  await (await open(file, 'a')).close();
  const handle = await open(file, 'r+');
  await handle.truncate(goodBytes);
  let size = goodBytes;

  const log = createGroupCommit<string>(async (lines) => {
    if (open_.size === 0 && size >= COMPACT_BYTES) {
      await handle.truncate(0);
      size = 0;
    }
    const buffer = Buffer.from(lines.join(''));
    try {
      await writeAll(handle, buffer, size);
      await handle.sync();
    } catch (error) {
      await handle.truncate(size).catch(() => undefined);
      throw error;
    }
    size += buffer.length;
  });

  return {
    pending: known,
    async record(entry) {
      open_.set(entry.id, entry);
      await log.add(`${JSON.stringify({ op: 'put', entry })}\n`);
    },
    async sent(id) {
      await log.add(`${JSON.stringify({ op: 'sent', id })}\n`);
      // Only once the mark is on disk may compaction forget the put.
      open_.delete(id);
    },
    async close() {
      await log.idle();
      await handle.close();
    },
  };
}

async function readOutbox(file: string): Promise<{ pending: OutboxFileEntry[]; goodBytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { pending: [], goodBytes: 0 };
    throw error;
  }
  const entries = new Map<string, OutboxFileEntry>();
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
    let value: unknown;
    try {
      value = JSON.parse(bytes.subarray(start, end).toString('utf8'));
    } catch {
      break; // a torn tail: never acknowledged, so never sent
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) break;
    if (parsed.data.op === 'put') entries.set(parsed.data.entry.id, parsed.data.entry);
    else entries.delete(parsed.data.id);
    start = end + 1;
  }
  return { pending: [...entries.values()], goodBytes: start };
}
