import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../../src/domain/index.ts';
import {
  createIntakeInbox,
  INBOX_CURSOR_FILE_NAME,
  INBOX_FILE_NAME,
} from '../../../src/govern/store/index.ts';
import { tempDir } from './temp-dir.ts';

function alert(n: number): Alert {
  return {
    source: 'alertmanager',
    fingerprint: `fp-${n}`,
    status: 'firing',
    name: 'KubePodCrashLooping',
    labels: { namespace: 'shop', pod: `web-${n}` },
    annotations: {},
    startsAt: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
  };
}

describe('intake inbox', () => {
  it('keeps every appended delivery, in order, and replays what was not processed', async (t) => {
    const dir = await tempDir(t);
    const first = await createIntakeInbox({ dir });
    assert.deepEqual(first.pending, []);
    // Concurrent appends share writes (group commit) but each gets its own seq, in call order.
    const seqs = await Promise.all([1, 2, 3, 4, 5].map((n) => first.append('alertmanager', [alert(n)])));
    assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
    await first.processed(1);
    await first.processed(2);
    await first.processed(4); // 3 failed: the cursor must not pass it
    await first.close();

    const second = await createIntakeInbox({ dir });
    assert.deepEqual(
      second.pending.map((e) => e.seq),
      [3, 4, 5],
    );
    assert.deepEqual(second.pending[0]?.alerts, [alert(3)]);
    assert.equal(await second.append('alertmanager', [alert(6)]), 6, 'seqs go on after the replayed ones');
    await second.close();
  });

  it('drops a torn last line (never acknowledged) and writes the next one cleanly', async (t) => {
    const dir = await tempDir(t);
    const inbox = await createIntakeInbox({ dir });
    await inbox.append('alertmanager', [alert(1)]);
    await inbox.close();
    await appendFile(join(dir, INBOX_FILE_NAME), '{"seq":2,"source":"alertman');

    const reopened = await createIntakeInbox({ dir });
    assert.deepEqual(
      reopened.pending.map((e) => e.seq),
      [1],
    );
    assert.equal(await reopened.append('alertmanager', [alert(2)]), 2);
    await reopened.close();
    const lines = (await readFile(join(dir, INBOX_FILE_NAME), 'utf8')).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).seq),
      [1, 2],
    );
  });

  it('refuses a corrupt cursor with what to do, instead of guessing how far processing got', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, INBOX_CURSOR_FILE_NAME), '{"processed":-4}');
    await assert.rejects(createIntakeInbox({ dir }), /not valid.*Move it aside/);
  });

  it('starts the file afresh once everything in it is processed and it is large', async (t) => {
    const dir = await tempDir(t);
    const inbox = await createIntakeInbox({ dir });
    const big = Array.from({ length: 800 }, (_, i) => alert(i));
    let seq = 0;
    for (let i = 0; i < 10; i++) seq = await inbox.append('alertmanager', big);
    for (let s = 1; s <= seq; s++) await inbox.processed(s);
    await inbox.append('alertmanager', [alert(9_999)]);
    await inbox.close();
    const lines = (await readFile(join(dir, INBOX_FILE_NAME), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 1);
    const reopened = await createIntakeInbox({ dir });
    assert.deepEqual(
      reopened.pending.map((e) => e.seq),
      [11],
    );
    await reopened.close();
  });

  it('writes the processed cursor once for a run of deliveries, soon and without close', async (t) => {
    const dir = await tempDir(t);
    const inbox = await createIntakeInbox({ dir });
    const seqs = await Promise.all(
      Array.from({ length: 30 }, (_, n) => inbox.append('alertmanager', [alert(n)])),
    );
    // Each cursor write is a temp file renamed over the cursor: count them.
    let cursorWrites = 0;
    const watcher = watch(dir, (_event, name) => {
      if (name === `${INBOX_CURSOR_FILE_NAME}.tmp`) cursorWrites++;
    });
    t.after(() => watcher.close());
    // One at a time, as the work queue confirms them: two fsyncs each used to compete with webhook acks.
    for (const seq of seqs) await inbox.processed(seq);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(JSON.parse(await readFile(join(dir, INBOX_CURSOR_FILE_NAME), 'utf8')), {
      processed: 30,
    });
    assert.ok(cursorWrites >= 1 && cursorWrites <= 6, `30 deliveries took ${cursorWrites} cursor writes`);
    // A crash now (no close) replays nothing that was processed.
    const reopened = await createIntakeInbox({ dir });
    assert.deepEqual(reopened.pending, []);
    await reopened.close();
    await inbox.close();
  });
});
