import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditInput } from '../../../src/domain/index.ts';
import { type AuditAppendInput, createAuditLog, type StoreError } from '../../../src/govern/store/index.ts';
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
  return (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
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
    const log = await createAuditLog({ dir, clock: manualClock(), segmentSize: 7 });
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
    assert.equal((await segmentNames(dir)).length, Math.ceil(200 / 7));
  });

  it('rewrites only the newest segment: older segments stay byte-for-byte the same', async (t) => {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock(), segmentSize: 3 });
    for (let i = 0; i < 4; i++) await log.append(event(`n${i}`));
    const before = await readFile(join(dir, '000000000001.json'), 'utf8');
    for (let i = 4; i < 6; i++) await log.append(event(`n${i}`));
    assert.equal(await readFile(join(dir, '000000000001.json'), 'utf8'), before);
    assert.deepEqual(await segmentNames(dir), ['000000000001.json', '000000000004.json']);
  });

  it('continues where it left off after a restart, and ignores a temp file a crash left behind', async (t) => {
    const dir = await tempDir(t);
    const first = await createAuditLog({ dir, clock: manualClock(), segmentSize: 4 });
    for (let i = 0; i < 9; i++) await first.append(event(`before ${i}`));
    await writeFile(join(dir, '.000000000009.json.tmp'), '{"schemaVersion":1,"firstSe');
    const reopened = await createAuditLog({ dir, clock: manualClock(), segmentSize: 4 });
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
    const log = await createAuditLog({ dir, clock: manualClock(), segmentSize: 1 });
    await log.append(event('one'));
    // A directory where steno wants its temp file makes the next write fail, as a broken volume would.
    await mkdir(join(dir, '.000000000002.json.tmp'));
    await assert.rejects(log.append(event('two')), storeError('write-failed', /refuses further records/));
    await assert.rejects(log.append(event('three')), storeError('write-failed', /seq 2/));
    await rm(join(dir, '.000000000002.json.tmp'), { recursive: true });
    const restarted = await createAuditLog({ dir, clock: manualClock(), segmentSize: 1 });
    assert.equal((await restarted.append(event('two again'))).seq, 2);
  });
});

describe('audit log: reading', () => {
  async function filled(t: Parameters<typeof tempDir>[0]) {
    const log = await createAuditLog({ dir: await tempDir(t), clock: manualClock(), segmentSize: 5 });
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

describe('audit log: damaged files are reported, never skipped', () => {
  async function withSegments(t: Parameters<typeof tempDir>[0]) {
    const dir = await tempDir(t);
    const log = await createAuditLog({ dir, clock: manualClock(), segmentSize: 3 });
    for (let i = 1; i <= 7; i++) await log.append(event(`n${i}`));
    return { dir, log };
  }

  async function editSegment(file: string, edit: (records: Record<string, unknown>[]) => void) {
    const segment = JSON.parse(await readFile(file, 'utf8'));
    edit(segment.records);
    await writeFile(file, JSON.stringify(segment));
  }

  it('names the segment and seq of a record that fails validation', async (t) => {
    const { dir, log } = await withSegments(t);
    const file = join(dir, '000000000004.json');
    await editSegment(file, (records) => {
      (records[1] as { type: string }).type = 'made-up';
    });
    await assert.rejects(log.read(), (error) => {
      storeError('corrupt-file', /seq 5 in .*000000000004\.json is invalid/)(error);
      assert.equal((error as StoreError).seq, 5);
      assert.equal((error as StoreError).file, file);
      return true;
    });
    assert.deepEqual(
      (await log.read({ afterSeq: 6 })).map((r) => r.seq),
      [7],
      'segments after the damage still read',
    );
  });

  it('reports a record written by another schema version', async (t) => {
    const { dir, log } = await withSegments(t);
    await editSegment(join(dir, '000000000001.json'), (records) => {
      (records[0] as { schemaVersion: number }).schemaVersion = 2;
    });
    await assert.rejects(
      log.read(),
      storeError('corrupt-file', /seq 1 .* schema version 2; this Belay reads version 1/),
    );
  });

  it('reports a missing record inside a segment and a missing segment', async (t) => {
    const { dir, log } = await withSegments(t);
    await editSegment(join(dir, '000000000001.json'), (records) => {
      records.splice(1, 1);
    });
    await assert.rejects(log.read(), storeError('corrupt-file', /has seq 3 where seq 2 belongs/));
    await rm(join(dir, '000000000001.json'));
    await rm(join(dir, '000000000004.json'));
    await writeFile(join(dir, '000000000001.json'), '{"schemaVersion":1,"firstSeq":1,"records":[]}');
    await assert.rejects(
      log.read(),
      storeError('corrupt-file', /starts at seq 7, but the segment before it ends at seq 0/),
    );
    await assert.rejects(log.last(2), storeError('corrupt-file', /starts at seq 7/));
  });

  it('reports a missing first segment', async (t) => {
    const { dir, log } = await withSegments(t);
    await rm(join(dir, '000000000001.json'));
    await assert.rejects(
      log.read(),
      storeError('corrupt-file', /000000000004\.json starts at seq 4, but .* ends at seq 0/),
    );
    await assert.rejects(log.last(10), storeError('corrupt-file', /starts at seq 4/));
    assert.deepEqual(
      (await log.last(4)).map((r) => r.seq),
      [4, 5, 6, 7],
      'the records that are there still read',
    );
  });

  it('refuses to open when the newest segment does not parse, naming the file', async (t) => {
    const { dir } = await withSegments(t);
    await writeFile(join(dir, '000000000007.json'), '{"schemaVersion":1,"firstSeq":7,"rec');
    await assert.rejects(
      createAuditLog({ dir, clock: manualClock() }),
      storeError('corrupt-file', /000000000007\.json cannot be read as JSON/),
    );
  });

  it('refuses a segment whose name and content disagree', async (t) => {
    const { dir } = await withSegments(t);
    await writeFile(join(dir, '000000000010.json'), '{"schemaVersion":1,"firstSeq":7,"records":[]}');
    await assert.rejects(
      createAuditLog({ dir, clock: manualClock() }),
      storeError('corrupt-file', /renamed or copied/),
    );
  });
});
