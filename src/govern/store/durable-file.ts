import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';

export interface FileFormat<T> {
  parse: (text: string) => T;
  stringify: (data: T) => string;
}

/**
 * lowdb's DataFile writes through steno (temp file, then rename over the old one), so a killed process
 * never leaves a half-written file. But steno resolves once the rename is in the page cache: a power cut
 * or a node crash right after could still lose a record we already acknowledged. So after steno's
 * rename we fsync the file and its directory; a resolved write is on the disk.
 */
export class DurableFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #inner: DataFile<T>;

  constructor(file: string, format: FileFormat<T>) {
    this.#file = file;
    this.#inner = new DataFile<T>(file, format);
  }

  read(): Promise<T | null> {
    return this.#inner.read();
  }

  async write(data: T): Promise<void> {
    await this.#inner.write(data);
    await fsyncPath(this.#file);
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
