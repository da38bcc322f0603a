import { close, fsync, open, write } from 'node:fs';
import { open as openHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { segmentFile } from './audit-segment.ts';

/** One record's line, waiting to be written. */
export interface PendingLine {
  seq: number;
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface OpenSegmentState {
  file: string;
  firstSeq: number;
  /** Bytes already in the file (all of them complete lines). */
  bytes: number;
}

/**
 * Appends lines to the newest segment through one open file handle, with group commit: the first line
 * is written and fsynced at once; lines that arrive meanwhile wait and then go out together in one write
 * and one fsync. Each line's promise resolves only after the fsync that covers it. A segment that would
 * grow past `maxBytes` is closed and the next line starts a new one (never an empty segment: one line
 * larger than maxBytes gets a segment of its own).
 */
export class AuditWriter {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #onFailure: (cause: unknown, pending: readonly PendingLine[]) => unknown;
  #segment: OpenSegmentState | undefined;
  /** A plain descriptor, not a FileHandle: a log nobody closes (tests, a crash) must not warn at GC. */
  #fd: number | undefined;
  #queue: PendingLine[] = [];
  #flushing = false;
  #writes = 0;

  constructor(
    dir: string,
    maxBytes: number,
    current: OpenSegmentState | undefined,
    onFailure: (cause: unknown, pending: readonly PendingLine[]) => unknown,
  ) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
    this.#segment = current;
    this.#onFailure = onFailure;
  }

  enqueue(pending: PendingLine): void {
    this.#queue.push(pending);
    if (!this.#flushing) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#write(batch);
      } catch (cause) {
        // The file may now hold part of the batch; nothing more is written until a restart re-reads it.
        const all = [...batch, ...this.#queue];
        this.#queue = [];
        const error = this.#onFailure(cause, all);
        for (const p of all) p.reject(error);
        await this.close().catch(() => {});
        break;
      }
      for (const p of batch) p.resolve();
    }
    this.#flushing = false;
  }

  async #write(batch: readonly PendingLine[]): Promise<void> {
    let chunk: string[] = [];
    let chunkBytes = 0;
    for (const p of batch) {
      const size = Buffer.byteLength(p.line);
      const segment = this.#segment;
      const used = (segment?.bytes ?? 0) + chunkBytes;
      if (!segment || (used > 0 && used + size > this.#maxBytes)) {
        if (chunk.length > 0) await this.#append(chunk.join(''), chunkBytes);
        chunk = [];
        chunkBytes = 0;
        await this.#rotate(p.seq);
      }
      chunk.push(p.line);
      chunkBytes += size;
    }
    if (chunk.length > 0) await this.#append(chunk.join(''), chunkBytes);
  }

  async #append(text: string, size: number): Promise<void> {
    const segment = this.#segment as OpenSegmentState;
    this.#fd ??= await openFd(segment.file, 'a');
    const fd = this.#fd;
    const buffer = Buffer.from(text);
    for (let offset = 0; offset < buffer.length; ) {
      offset += await writeFd(fd, buffer, offset, buffer.length - offset);
    }
    await fsyncFd(fd);
    this.#writes++;
    segment.bytes += size;
  }

  /** Closes the current segment and creates the next, durably (the directory entry is fsynced too). */
  async #rotate(firstSeq: number): Promise<void> {
    await this.close();
    const file = segmentFile(this.#dir, firstSeq);
    // 'wx': a segment is created once; finding one already there means two writers share the directory.
    this.#fd = await openFd(file, 'wx');
    await fsyncDir(dirname(file));
    this.#segment = { file, firstSeq, bytes: 0 };
  }

  /** How many write+fsync rounds have run (group commit makes this far fewer than lines). */
  get writes(): number {
    return this.#writes;
  }

  async close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) await closeFd(fd);
  }
}

const openFd = promisify(open);
const closeFd = promisify(close);
const fsyncFd = promisify(fsync);
const writeFd = (fd: number, buffer: Buffer, offset: number, length: number) =>
  new Promise<number>((resolve, reject) =>
    write(fd, buffer, offset, length, null, (error, written) => (error ? reject(error) : resolve(written))),
  );

async function fsyncDir(dir: string): Promise<void> {
  const handle = await openHandle(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
