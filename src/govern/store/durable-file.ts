import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';

export interface FileFormat<T> {
  parse: (text: string) => T;
  stringify: (data: T) => string;
}

/**
 * lowdb's DataFile writes through steno (temp file, then rename over the old one), so a killed process
 * never leaves a half-written file. But steno resolves once the rename is in the page cache: a power cut
 * or a node crash right after could still lose a record we already acknowledged. So after steno's
 * rename we fsync the file and its directory; a resolved write is on the disk.
 *
 * Writes are group-committed: callers that arrive while one write runs share the next one, which serializes
 * the newest data once and fsyncs once. lowdb passes its live data object, so the newest holds every change
 * made before the write starts; each caller still resolves only after a write that began after its call.
 */
export class DurableFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #inner: DataFile<T>;
  readonly #commit: GroupCommit<T>;

  constructor(file: string, format: FileFormat<T>) {
    this.#file = file;
    this.#inner = new DataFile<T>(file, format);
    this.#commit = createGroupCommit<T>(async (batch) => {
      await this.#inner.write(batch.at(-1) as T);
      await fsyncPath(this.#file);
      await fsyncPath(dirname(this.#file));
    });
  }

  read(): Promise<T | null> {
    return this.#inner.read();
  }

  write(data: T): Promise<void> {
    return this.#commit.add(data);
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
