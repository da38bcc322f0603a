import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createAuditLog, createStateStore } from '../../../src/govern/store/index.ts';
import { STORE_LOCK_FILE, StoreLockError, tryLockStore } from '../../../src/govern/store/store-lock.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';

const clock = new ManualClock('2026-03-10T02:17:00Z');
const host = (pid: number, hostname = 'laptop', alive: number[] = [pid]) => ({
  pid,
  hostname,
  isAlive: (p: number) => alive.includes(p),
});

describe('the store lock: one writer per store directory without Kubernetes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'belay-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a second process on the same directory is refused, told who holds it, and changes nothing', async () => {
    const first = await tryLockStore(dir, clock, host(100, 'laptop', [100, 200]));
    assert.ok(first.ok);
    const before = await readFile(join(dir, STORE_LOCK_FILE), 'utf8');
    const second = await tryLockStore(dir, clock, host(200, 'laptop', [100, 200]));
    assert.equal(second.ok, false);
    assert.match(
      second.ok ? '' : second.message,
      /held by pid 100 on laptop since 2026-03-10T02:17:00.000Z\. That process still runs/,
    );
    assert.equal(await readFile(join(dir, STORE_LOCK_FILE), 'utf8'), before);
    first.lock.release();
    assert.ok((await tryLockStore(dir, clock, host(200))).ok, 'free again once released');
  });

  it('a lock left by a process that died on this host is stale and taken over; one on another host is not', async () => {
    await writeFile(
      join(dir, STORE_LOCK_FILE),
      JSON.stringify({ pid: 100, hostname: 'laptop', startedAt: 'x' }),
    );
    const taken = await tryLockStore(dir, clock, host(200, 'laptop', [200]));
    assert.ok(taken.ok);
    assert.equal(JSON.parse(await readFile(join(dir, STORE_LOCK_FILE), 'utf8')).pid, 200);

    await writeFile(
      join(dir, STORE_LOCK_FILE),
      JSON.stringify({ pid: 100, hostname: 'other', startedAt: 'x' }),
    );
    const refused = await tryLockStore(dir, clock, host(300, 'laptop', [300]));
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.message, /on another host.*delete the file if that host is gone/);
  });

  it('an unreadable lock file is never guessed at', async () => {
    await writeFile(join(dir, STORE_LOCK_FILE), 'garbage');
    const result = await tryLockStore(dir, clock, host(1));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /does not name its holder.*delete it/);
    assert.equal(await readFile(join(dir, STORE_LOCK_FILE), 'utf8'), 'garbage');
  });

  it("once its lock file was taken, the old holder's store and audit writes are refused and change nothing", async () => {
    const held = await tryLockStore(dir, clock, host(100));
    assert.ok(held.ok);
    const fence = () => held.lock.assertLeader();
    const store = await createStateStore({ dir, clock, fence });
    const audit = await createAuditLog({ dir: join(dir, 'audit'), clock, fence });
    await store.recordApproved('a');
    // Someone removed the lock and another process took it (the old one was paused, say).
    await rm(join(dir, STORE_LOCK_FILE));
    assert.ok((await tryLockStore(dir, clock, host(200))).ok);
    await assert.rejects(store.recordApproved('b'), StoreLockError);
    await assert.rejects(
      audit.append({ type: 'switch.changed', actor: 'system', summary: 'x' } as never),
      /no longer names this Belay \(pid 100 on laptop\)/,
    );
    assert.deepEqual(store.approvedBefore(), ['a']);
    assert.equal(audit.lastSeq(), 0);
    held.lock.release();
    assert.equal(
      JSON.parse(await readFile(join(dir, STORE_LOCK_FILE), 'utf8')).pid,
      200,
      'release leaves the new holder alone',
    );
  });

  it('the fence trusts a settled lock file by its stat, yet still refuses once it is rewritten in place or replaced', async () => {
    const held = await tryLockStore(dir, clock, host(100));
    assert.ok(held.ok);
    const file = join(dir, STORE_LOCK_FILE);
    const mine = await readFile(file, 'utf8');
    // Let the file settle so the fence caches its stat, then check that the cache is used and still safe.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    held.lock.assertLeader();
    held.lock.assertLeader();
    // Same length, same inode, another holder: only the content (and its ctime) changed.
    await writeFile(file, mine.replace('"pid":100', '"pid":900'));
    assert.throws(() => held.lock.assertLeader(), StoreLockError);
    // Put back byte for byte: ours again (a new ctime, so it is read, not trusted).
    await writeFile(file, mine);
    held.lock.assertLeader();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    held.lock.assertLeader();
    // Deleted and re-created by another process: refused.
    await rm(file);
    assert.throws(() => held.lock.assertLeader(), StoreLockError);
    assert.ok((await tryLockStore(dir, clock, host(200))).ok);
    assert.throws(() => held.lock.assertLeader(), StoreLockError);
  });
});
