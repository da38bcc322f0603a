import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuditWriter, type PendingLine } from '../../../src/govern/store/audit-writer.ts';
import { tempDir } from './temp-dir.ts';

function pending(seq: number, settled: number[]): { line: PendingLine; done: Promise<void> } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const line: PendingLine = {
    seq,
    line: `{"seq":${seq}}\n`,
    resolve: () => {
      settled.push(seq);
      resolve();
    },
    reject,
  };
  return { line, done };
}

describe('audit writer: group commit', () => {
  it('writes lines that wait during a write in one write and one fsync, resolving each after it', async (t) => {
    const dir = await tempDir(t);
    const writer = new AuditWriter(dir, 1_000_000, undefined, (cause) => cause);
    const settled: number[] = [];
    const all = Array.from({ length: 50 }, (_, i) => pending(i + 1, settled));
    for (const { line } of all) writer.enqueue(line);
    assert.deepEqual(settled, [], 'nothing resolves before its fsync');
    await Promise.all(all.map((p) => p.done));
    // The first line goes out at once; the 49 that queued behind it share the next write and fsync.
    assert.equal(writer.writes, 2);
    assert.deepEqual(
      settled,
      all.map((_, i) => i + 1),
      'resolved in order',
    );
    const text = await readFile(join(dir, '000000000001.jsonl'), 'utf8');
    assert.equal(text, all.map((_, i) => `{"seq":${i + 1}}\n`).join(''));
    await writer.close();
  });

  it('splits a batch across segments at the size limit, naming each segment after its first line', async (t) => {
    const dir = await tempDir(t);
    const writer = new AuditWriter(dir, 30, undefined, (cause) => cause);
    const settled: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => pending(i + 1, settled));
    for (const { line } of all) writer.enqueue(line);
    await Promise.all(all.map((p) => p.done));
    // Each line is 10 bytes: three fit in 30 bytes, a fourth would not.
    assert.equal(
      await readFile(join(dir, '000000000001.jsonl'), 'utf8'),
      '{"seq":1}\n{"seq":2}\n{"seq":3}\n',
    );
    assert.equal(
      await readFile(join(dir, '000000000004.jsonl'), 'utf8'),
      '{"seq":4}\n{"seq":5}\n{"seq":6}\n',
    );
    assert.equal(await readFile(join(dir, '000000000007.jsonl'), 'utf8'), '{"seq":7}\n');
    await writer.close();
  });
});
