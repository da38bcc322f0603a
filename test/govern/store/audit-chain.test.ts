import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/index.ts';
import { canonicalJson, chainHash, GENESIS } from '../../../src/govern/store/audit-chain.ts';
import { verifyAuditLog } from '../../../src/govern/store/audit-verify.ts';
import { type AuditAppendInput, createAuditLog, type StoreError } from '../../../src/govern/store/index.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const bot = { type: 'bot', id: 'belay' } as const;
const event = (summary: string): AuditAppendInput => ({
  type: 'verdict',
  actor: bot,
  summary,
  data: { n: summary },
});
const LEGACY_FIXTURE = new URL('../../fixtures/audit-v1/', import.meta.url);

/** A log of `count` records in segments of about three records each. */
async function logOf(t: TestContext, count: number) {
  const dir = await tempDir(t);
  const log = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1_000 });
  for (let i = 1; i <= count; i++) await log.append(event(`n${i}`));
  const segments = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  assert.ok(count < 9 || segments.length >= 3, `expected several segments, got ${segments.length}`);
  return { dir, log, segments: segments.map((n) => join(dir, n)) };
}

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').slice(0, -1);
}

async function editLines(file: string, edit: (lines: string[]) => void): Promise<void> {
  const all = await lines(file);
  edit(all);
  await writeFile(file, `${all.join('\n')}\n`);
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['audit', ...args], {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readFile: (path) => readFile(path, 'utf8'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('audit chain: format', () => {
  it('chains each record to the one before it by SHA-256 over its canonical JSON', async (t) => {
    const { segments } = await logOf(t, 7);
    let prev = GENESIS;
    let seq = 0;
    for (const file of segments) {
      for (const text of await lines(file)) {
        const line = JSON.parse(text);
        assert.equal(line.v, 2);
        assert.equal(line.prev, prev, `seq ${line.record.seq} chains to the record before it`);
        assert.equal(line.hash, chainHash(prev, canonicalJson(line.record)));
        assert.equal(line.record.seq, ++seq);
        prev = line.hash;
      }
    }
    assert.equal(seq, 7);
  });

  it('serialises canonically: sorted keys at every depth, no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } }),
      '{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

describe('audit verify: detects tampering', () => {
  it('reports an intact log with its count and exit 0', async (t) => {
    const { dir } = await logOf(t, 10);
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 10, segments: 4, tornBytes: 0 });
    const run = await cli('verify', dir);
    assert.equal(run.code, 0);
    assert.match(run.out, /intact: 10 records in 4 segments/);
  });

  it('finds an edited record: the segment, line and seq, and what its hash should be', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    const file = segments[1] as string;
    await editLines(file, (all) => {
      all[1] = (all[1] as string).replace('"summary":"n5"', '"summary":"n5 (nothing happened here)"');
    });
    const result = await verifyAuditLog(dir);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.file, file);
    assert.equal(result.seq, 5);
    assert.match(
      result.problem,
      /seq 5 at line 2 of audit segment .*000000000004\.jsonl .* was edited: its content hashes to [0-9a-f]{64}, but the hash written with it is [0-9a-f]{64}/,
    );
    const run = await cli('verify', dir);
    assert.equal(run.code, 1);
    assert.match(run.out, /BROKEN: .*seq 5 .*was edited/);
    assert.match(run.out, /4 records before it verified/);
    // The log itself still reads: only verify recomputes hashes.
    assert.equal((await createAuditLog({ dir, clock: manualClock() })).lastSeq(), 10);
  });

  it('finds an edited record even when the editor recomputed its hash: the next record no longer chains', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    await editLines(segments[1] as string, (all) => {
      const line = JSON.parse(all[0] as string);
      line.record.summary = 'rewritten';
      line.hash = chainHash(line.prev, canonicalJson(line.record));
      all[0] = JSON.stringify(line);
    });
    const result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.equal(result.seq, 5);
    assert.match(result.problem, /seq 5 .* does not chain to the record before it/);
  });

  it('finds a removed record', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    await editLines(segments[1] as string, (all) => {
      all.splice(1, 1);
    });
    const result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.equal(result.seq, 5);
    assert.match(
      result.problem,
      /line 2 of audit segment .*000000000004\.jsonl.* has seq 6: seq 5 is missing: a record was removed/,
    );
    assert.equal((await cli('verify', dir)).code, 1);
  });

  it('finds two swapped records', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    await editLines(segments[1] as string, (all) => {
      [all[0], all[1]] = [all[1] as string, all[0] as string];
    });
    const result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.equal(result.seq, 4);
    assert.match(
      result.problem,
      /line 1 of .* has seq 5: seq 4 is further down, at line 2: records were reordered/,
    );
  });

  it('finds a removed segment and a removed last record of a segment', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    await editLines(segments[0] as string, (all) => {
      all.pop();
    });
    let result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.match(
      result.problem,
      /000000000004\.jsonl starts at seq 4, where seq 3 belongs: seq 3…3 are missing/,
    );
    await rm(segments[0] as string);
    result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.match(result.problem, /starts at seq 4, where seq 1 belongs: seq 1…3 are missing/);
  });

  it('says so when the directory is not there, and explains its usage', async (t) => {
    const dir = await tempDir(t);
    const missing = await cli('verify', join(dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.out, /nope is not a directory/);
    const usage = await cli('check');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /usage: belay audit verify \[DIR\]/);
    assert.equal((await cli('verify', dir)).code, 0, 'an empty log is intact');
  });
});

describe('audit chain: a crash mid-write', () => {
  it('reads up to the last full record, verifies intact, and continues on a line of its own', async (t) => {
    const { dir, segments } = await logOf(t, 10);
    const newest = segments.at(-1) as string;
    const whole = await readFile(newest, 'utf8');
    // A write cut off by a crash: a partial line with no newline at the end.
    await writeFile(newest, `${whole}{"v":2,"prev":"ab`);
    const verified = await verifyAuditLog(dir);
    assert.deepEqual(verified, { ok: true, records: 10, segments: 4, tornBytes: 17 });
    assert.match((await cli('verify', dir)).out, /unterminated line \(17 bytes\)/);
    assert.equal(await readFile(newest, 'utf8'), `${whole}{"v":2,"prev":"ab`, 'verify changes nothing');
    const reader = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1_000 });
    assert.equal(reader.lastSeq(), 10);
    assert.deepEqual(
      (await reader.read()).map((r) => r.seq),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    assert.equal(await readFile(newest, 'utf8'), whole, 'the torn line is cut away on opening');
    await reader.append(event('after the crash'));
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 11, segments: 4, tornBytes: 0 });
  });

  it('chains a new segment to the one before when a crash left the newest segment empty', async (t) => {
    const { dir, segments } = await logOf(t, 9);
    assert.equal(segments.length, 3);
    await writeFile(join(dir, '000000000010.jsonl'), '');
    const reopened = await createAuditLog({ dir, clock: manualClock(), segmentBytes: 1_000 });
    assert.equal((await reopened.append(event('n10'))).seq, 10);
    assert.deepEqual(await verifyAuditLog(dir), {
      ok: true,
      records: 10,
      segments: segments.length + 1,
      tornBytes: 0,
    });
  });

  it('reports a bad line in the middle, and an unterminated line anywhere but the end of the newest segment', async (t) => {
    const { dir, log, segments } = await logOf(t, 10);
    await editLines(segments[1] as string, (all) => {
      all[1] = '{"v":2,"prev":"ab';
    });
    await assert.rejects(log.read(), (error) => {
      storeError(
        'corrupt-file',
        /line 2 of audit segment .*000000000004\.jsonl \(where seq 5 belongs\) is damaged: not JSON/,
      )(error);
      assert.equal((error as StoreError).seq, 5);
      return true;
    });
    const first = segments[0] as string;
    const text = await readFile(first, 'utf8');
    await truncate(first, text.length - 5);
    await assert.rejects(
      log.read(),
      storeError(
        'corrupt-file',
        /000000000001\.jsonl ends in an unterminated line, but it is not the newest/,
      ),
    );
    assert.deepEqual(
      (await log.read({ afterSeq: 6 })).map((r) => r.seq),
      [7, 8, 9, 10],
      'segments after the damage still read',
    );
    assert.match(
      ((await verifyAuditLog(dir)) as { problem: string }).problem,
      /000000000001\.jsonl ends in an unterminated line/,
    );
  });

  it('reports a record written by another schema version, and a record that fails validation', async (t) => {
    const { dir, log, segments } = await logOf(t, 4);
    await editLines(segments[0] as string, (all) => {
      all[0] = (all[0] as string).replace('"schemaVersion":1', '"schemaVersion":2');
    });
    await assert.rejects(
      log.read(),
      storeError('corrupt-file', /seq 1 .* schema version 2; this Belay reads version 1/),
    );
    await editLines(segments[0] as string, (all) => {
      all[0] = (all[0] as string)
        .replace('"schemaVersion":2', '"schemaVersion":1')
        .replace('"type":"verdict"', '"type":"made-up"');
    });
    await assert.rejects(log.read(), storeError('corrupt-file', /seq 1 at line 1 .* is invalid/));
    assert.ok(!(await verifyAuditLog(dir)).ok);
  });
});

describe('audit chain: logs written before the chain (format 1)', () => {
  async function legacy(t: TestContext): Promise<string> {
    const dir = await tempDir(t);
    await cp(LEGACY_FIXTURE, dir, { recursive: true });
    return dir;
  }

  it('reads the old segments, appends after them in chained segments, and verifies across the boundary', async (t) => {
    const dir = await legacy(t);
    const log = await createAuditLog({ dir, clock: manualClock() });
    assert.equal(log.lastSeq(), 5);
    assert.deepEqual(
      (await log.read()).map((r) => [r.seq, r.type]),
      [
        [1, 'alert.received'],
        [2, 'incident.opened'],
        [3, 'verdict'],
        [4, 'proposal.created'],
        [5, 'proposal.approved'],
      ],
    );
    assert.equal((await log.append(event('after the upgrade'))).seq, 6);
    assert.deepEqual(
      (await log.last(3)).map((r) => r.seq),
      [4, 5, 6],
    );
    assert.deepEqual((await readdir(dir)).sort(), [
      '000000000001.json',
      '000000000004.json',
      '000000000006.jsonl',
    ]);
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 6, segments: 3, tornBytes: 0 });
    const reopened = await createAuditLog({ dir, clock: manualClock() });
    assert.equal((await reopened.append(event('again'))).seq, 7);
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 7, segments: 3, tornBytes: 0 });
  });

  it('detects a change to an old record once the chain continues from them', async (t) => {
    const dir = await legacy(t);
    const log = await createAuditLog({ dir, clock: manualClock() });
    await log.append(event('after the upgrade'));
    const file = join(dir, '000000000001.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('postgres-0 memory', 'nothing to see'));
    const result = await verifyAuditLog(dir);
    assert.ok(!result.ok);
    assert.equal(result.seq, 6);
    assert.match(result.problem, /seq 6 .* does not chain to the record before it/);
  });
});
