import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Writes the whole buffer at `position`, looping over short writes; a disk that takes nothing is an error. */
export async function writeAll(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < buffer.length; ) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, position + offset);
    if (bytesWritten === 0) throw new Error('the disk accepted no more bytes');
    offset += bytesWritten;
  }
}

/** writeAll with the thread blocked: for a thread whose only job is that write (the intake's inbox). */
export function writeAllSync(fd: number, buffer: Buffer, position: number): void {
  for (let offset = 0; offset < buffer.length; ) {
    const bytesWritten = writeSync(fd, buffer, offset, buffer.length - offset, position + offset);
    if (bytesWritten === 0) throw new Error('the disk accepted no more bytes');
    offset += bytesWritten;
  }
}
