// The single writer without Kubernetes: a lock file in the store directory, created with O_EXCL so that of
// two processes exactly one creates it (the filesystem decides atomically, no clock involved). It names its
// holder (pid, host, start time) so a lock left by a process that died on this host is recognised as stale
// and taken over, while one held on another host (a shared volume) is never guessed at.
import { type BigIntStats, closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../domain/index.ts';

export const STORE_LOCK_FILE = 'belay.lock';

const holderSchema = z.object({ pid: z.number().int(), hostname: z.string(), startedAt: z.string() });
export type LockHolder = z.infer<typeof holderSchema>;

/** Who this process is and whether a pid still runs here; tests pass other hosts and dead pids. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  isAlive(pid: number): boolean;
}

export const thisProcess: ProcessIdentity = {
  pid: process.pid,
  hostname: hostname(),
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the pid runs, as another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

export interface StoreLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** The fence: throws unless the lock file still names this process (deleted or replaced: refuse). */
  assertLeader(): void;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

export type TryLockResult =
  | { readonly ok: true; readonly lock: StoreLock }
  | { readonly ok: false; readonly holder: LockHolder | undefined; readonly message: string };

export class StoreLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockError';
  }
}

/** One attempt: take the lock, take over a stale one, or say who holds it. */
export async function tryLockStore(
  dir: string,
  clock: Clock,
  me: ProcessIdentity = thisProcess,
): Promise<TryLockResult> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, STORE_LOCK_FILE);
  const holder: LockHolder = { pid: me.pid, hostname: me.hostname, startedAt: clock.now().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusive(file, holder)) return { ok: true, lock: heldLock(file, holder) };
    const current = readHolder(file);
    if (current === 'missing') continue; // released between our two calls: try once more
    const stale = current !== 'unreadable' && current.hostname === me.hostname && !me.isAlive(current.pid);
    if (!stale) {
      return {
        ok: false,
        holder: current === 'unreadable' ? undefined : current,
        message:
          current === 'unreadable'
            ? `${file} exists but does not name its holder. If no Belay runs on this store, delete it and start again.`
            : `${file} is held by pid ${current.pid} on ${current.hostname} since ${current.startedAt}. ` +
              (current.hostname === me.hostname
                ? 'That process still runs: stop it, or give this one another store.dir.'
                : 'It is on another host, so Belay cannot tell whether it still runs: stop it there, or delete the file if that host is gone.'),
      };
    }
    // The holder died on this host without releasing: its lock protects nothing any more.
    rmSync(file, { force: true });
  }
  return {
    ok: false,
    holder: undefined,
    message: `${file} changed hands while Belay tried to take it; try again.`,
  };
}

function createExclusive(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * A lock file untouched for this long can be trusted by its stat alone: any later change to it (rewrite in
 * place, delete and re-create) happens in a later timestamp tick, so it shows as a new ctime or inode.
 * Coarse filesystem clocks tick every few ms; a second leaves a wide margin.
 */
const SETTLED_NS = 1_000_000_000n;

function heldLock(file: string, holder: LockHolder): StoreLock {
  // The fence runs before every store and audit write; reading and parsing the file each time cost the
  // event loop (and webhook acks) more than the write it guards. A matching stat of a file we last read
  // as ours, and that had settled by then, proves the same thing with one cheap syscall.
  let verified: BigIntStats | undefined;
  const ours = () => {
    const seen = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (!seen) return false;
    if (verified && sameFile(seen, verified)) return true;
    verified = undefined;
    const current = readHolder(file);
    const mine = typeof current === 'object' && JSON.stringify(current) === JSON.stringify(holder);
    // Stat taken before the read: a change after it that the read missed still shows as another ctime.
    if (mine && BigInt(Date.now()) * 1_000_000n - seen.ctimeNs > SETTLED_NS) {
      verified = seen;
    }
    return mine;
  };
  return {
    file,
    holder,
    assertLeader() {
      if (ours()) return;
      throw new StoreLockError(
        `Refused to write: ${file} no longer names this Belay (pid ${holder.pid} on ${holder.hostname}); ` +
          'another process may be writing this store now, so this one stops and exits for its restart.',
      );
    },
    release() {
      if (ours()) rmSync(file, { force: true });
    },
  };
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return (
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.size === b.size &&
    a.ctimeNs === b.ctimeNs &&
    a.mtimeNs === b.mtimeNs
  );
}
