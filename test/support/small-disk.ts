import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * A real small disk: a tmpfs of `size` mounted on a fresh directory (needs root), unmounted when the test
 * ends. Undefined where mounting is not allowed; the caller skips with that reason.
 */
export async function smallDisk(t: TestContext, size = '256k'): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'belay-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  t.after(async () => {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes a file until the disk is full; removing the returned path frees the space again. */
export async function fillDisk(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(4_096, 'x');
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return path;
}
