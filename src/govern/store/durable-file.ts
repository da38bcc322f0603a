import { open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';

export interface FileFormat<T> {
  parse: (text: string) => T;
  /** The file's bytes, in chunks written with one vectored write (nothing joined on the event loop). */
  serialize: (data: T) => readonly Uint8Array[];
}

/**
 * A lowdb adapter whose resolved write is on the disk: the data goes to a temp file, which is fsynced, then
 * renamed over the old file, and the directory is fsynced. A killed process leaves the old file or the new
 * one, never half of one; a power cut after the write resolved loses nothing.
 *
 * Writes are group-committed: callers that arrive while one write runs share the next one, which serializes
 * the newest data once and fsyncs once. lowdb passes its live data object, so the newest holds every change
 * made before the write starts; each caller still resolves only after a write that began after its call.
 */
export class DurableFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #format: FileFormat<T>;
  readonly #commit: GroupCommit<T>;

  constructor(file: string, format: FileFormat<T>) {
    this.#file = file;
    this.#format = format;
    this.#commit = createGroupCommit<T>((batch) => this.#replace(batch.at(-1) as T));
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return this.#format.parse(text);
  }

  write(data: T): Promise<void> {
    return this.#commit.add(data);
  }

  async #replace(data: T): Promise<void> {
    // Serialized at once, synchronously: the live data may change while the write below awaits the disk.
    const chunks = [...this.#format.serialize(data)];
    const expected = chunks.reduce((sum, c) => sum + c.byteLength, 0);
    const temp = join(dirname(this.#file), `.${basename(this.#file)}.tmp`);
    const handle = await open(temp, 'w');
    try {
      const { bytesWritten } = await handle.writev(chunks);
      if (bytesWritten !== expected) {
        throw new Error(`wrote ${bytesWritten} of ${expected} bytes to ${temp}`);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.#file);
    await fsyncPath(dirname(this.#file));
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
