import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditInput } from '../../../src/domain/index.ts';
import { type AuditAppendInput, createAuditLog } from '../../../src/govern/store/index.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock, T0 } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const bot = { type: 'bot', id: 'belay' } as const;
const event = (summary: string, extra: Partial<AuditAppendInput> = {}): AuditAppendInput => ({
  type: 'verdict',
  actor: bot,
  summary,
  ...extra,
});

async function segmentNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^\d{12}\.jsonl?$/.test(n)).sort();
}

describe('audit log: refusing bad records', () => {
  it('refuses an invalid record with a clear error and writes nothing', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock() });
    await log.append(event('first'));
    const bad: unknown[] = [
      { ...event('x'), type: 'cluster.deleted' },
      { type: 'verdict', summary: 'no actor' },
      { ...event('x'), actor: { type: 'hacker', id: 'x' } },
      { ...event('x'), surprise: true },
      { ...event('x'), at: 'yesterday' },
      { ...event('x'), data: 'not an object' },
    ];
    for (const input of bad) {
      await assert.rejects(
        log.append(input as AuditInput),
        storeError('invalid-record', /Refused an audit record/),
      );
    }
    await assert.rejects(
      log.append(event('x', { data: { big: 10n } })),
      storeError('invalid-record', /cannot be stored as JSON/),
    );
    // Valid as given, but not once stored: checked once, so what JSON makes of it is checked too.
    await assert.rejects(
      log.append(event('x', { data: { toJSON: () => 'a string' } })),
      storeError('invalid-record', /does not stay an object/),
    );
    assert.equal(log.lastSeq(), 1);
    const next = await log.append(event('second'));
    assert.equal(next.seq, 2, 'a refused record does not use up a seq');
    assert.deepEqual(
      (await log.read()).map((r) => r.summary),
      ['first', 'second'],
    );
  });

  it('ignores a caller-supplied seq or schema version', async (t) => {
    const log = await createAuditLog({ dir: await tempDir(t), clock: manualClock() });
    const record = await log.append({ ...event('sneaky'), seq: 99, schemaVersion: 7 } as AuditAppendInput);
    assert.equal(record.seq, 1);
    assert.equal(record.schemaVersion, 1);
  });
});

describe('audit log: secrets', () => {
  it('redacts secrets in every record it stores, whoever wrote them, on disk as well as in the answer', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock() });
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZWxheSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const record = await log.append(
      event(`pod log said Authorization: Bearer ${token}`, {
        data: {
          logs: [`connecting to postgres://app:hunter2secret@db:5432/app`],
          nested: { password: 'p4ssw0rd-x' },
        },
      }),
    );
    const onDisk = await Promise.all((await segmentNames(dir)).map((n) => readFile(join(dir, n), 'utf8')));
    for (const text of [JSON.stringify(record), ...onDisk, JSON.stringify(await log.read())]) {
      for (const secret of [token, 'hunter2secret', 'p4ssw0rd-x'])
        assert.ok(!text.includes(secret), `${secret} leaked`);
    }
    assert.match(record.summary, /\[REDACTED:/);
  });
});

describe('audit log: appending', () => {
  it('numbers records from 1, stamps schema version and the clock time, and resolves with the record', async (t) => {
    const clock = manualClock();
    const log = await createAuditLog({ dir: await tempDir(t), clock });
    const first = await log.append(event('one', { incidentId: 'inc-1' }));
    clock.advance(1_000);
    const second = await log.append(event('two', { at: '2025-03-14T02:00:00+01:00' }));
    assert.deepEqual(first, {
      schemaVersion: 1,
      seq: 1,
      at: T0,
      type: 'verdict',
      actor: bot,
      incidentId: 'inc-1',
      summary: 'one',
      data: {},
    });
    assert.equal(second.seq, 2);
    assert.equal(second.at, '2025-03-14T02:00:00+01:00', 'an explicit time is kept');
  });

  it('keeps concurrent appends gap-free and in call order across many segments', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 2_000 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(event(`n${i}`))));
    assert.deepEqual(
      results.map((r) => [r.seq, r.summary]),
      results.map((_, i) => [i + 1, `n${i}`]),
    );
    const stored = await log.read();
    assert.deepEqual(
      stored.map((r) => r.seq),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const names = await segmentNames(dir);
    assert.ok(names.length > 20, `rotated by size into many segments, got ${names.length}`);
    for (const name of names) {
      const size = (await readFile(join(dir, name))).length;
      assert.ok(size <= 2_000, `${name} is ${size} bytes, over the 2,000-byte segment size`);
    }
  });

  it('only appends: older segments stay byte-for-byte the same, the newest only grows at its end', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 800 });
    for (let i = 0; i < 4; i++) await log.append(event(`n${i}`));
    const names = await segmentNames(dir);
    const before = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
    await log.append(event('n4'));
    const after = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
    for (const [i, text] of before.entries())
      assert.ok(after[i]?.startsWith(text), `${names[i]} was rewritten`);
    assert.deepEqual(after.slice(0, -1), before.slice(0, -1));
    for (const text of after) assert.ok(text.endsWith('\n'), 'one JSON line per record');
  });

  it('continues where it left off after a restart, and ignores a temp file a crash left behind', async (t) => {
    const dir = await tempDir(t);
    const first = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1_000 });
    for (let i = 0; i < 9; i++) await first.append(event(`before ${i}`));
    await writeFile(join(dir, '.000000000009.json.tmp'), '{"schemaVersion":1,"firstSe');
    const reopened = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1_000 });
    assert.equal(reopened.lastSeq(), 9);
    assert.equal((await reopened.append(event('after'))).seq, 10);
    const all = await reopened.read();
    assert.deepEqual(
      all.map((r) => r.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(all.at(-1)?.summary, 'after');
  });

  it('stops accepting records after a failed write and says why, until restarted', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1 });
    await log.append(event('one'));
    // A directory where the next segment file must go makes its creation fail, as a broken volume would.
    await mkdir(join(dir, '000000000002.jsonl'));
    await assert.rejects(log.append(event('two')), storeError('write-failed', /refuses further records/));
    await assert.rejects(log.append(event('three')), storeError('write-failed', /seq 2/));
    await rm(join(dir, '000000000002.jsonl'), { recursive: true });
    const restarted = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1 });
    assert.equal((await restarted.append(event('two again'))).seq, 2);
  });
});

describe('audit log: reading', () => {
  async function filled(t: Parameters<typeof tempDir>[0]) {
    const log = await createAuditLog({ dir: await tempDir(t), clock: manualClock(), segmentBytes: 1_500 });
    for (let i = 1; i <= 23; i++) {
      await log.append(
        event(`n${i}`, {
          type: i % 3 === 0 ? 'proposal.approved' : 'verdict',
          incidentId: `inc-${i % 2}`,
          ...(i % 4 === 0 ? { proposalId: 'prop-4' } : {}),
        }),
      );
    }
    return log;
  }

  it('filters by seq, incident, proposal and type, and honours the limit', async (t) => {
    const log = await filled(t);
    const seqs = async (q: Parameters<typeof log.read>[0]) => (await log.read(q)).map((r) => r.seq);
    assert.deepEqual(await seqs({ afterSeq: 19 }), [20, 21, 22, 23]);
    assert.deepEqual(await seqs({ afterSeq: 4, limit: 3 }), [5, 6, 7]);
    assert.deepEqual(await seqs({ afterSeq: 23 }), []);
    assert.deepEqual(await seqs({ proposalId: 'prop-4' }), [4, 8, 12, 16, 20]);
    assert.deepEqual(await seqs({ types: ['proposal.approved'], incidentId: 'inc-0' }), [6, 12, 18]);
    assert.deepEqual(await seqs({ types: [] }), []);
  });

  it('returns the last n records across segment boundaries', async (t) => {
    const log = await filled(t);
    assert.deepEqual(
      (await log.last(7)).map((r) => r.seq),
      [17, 18, 19, 20, 21, 22, 23],
    );
    assert.equal((await log.last(100)).length, 23);
    assert.deepEqual(await log.last(0), []);
  });

  it('reads nothing from an empty log', async (t) => {
    const log = await createAuditLog({ dir: await tempDir(t), clock: manualClock() });
    assert.deepEqual(await log.read(), []);
    assert.deepEqual(await log.last(5), []);
    assert.equal(log.lastSeq(), 0);
  });
});
