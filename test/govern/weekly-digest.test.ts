import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../src/domain/index.ts';
import { createAuditLog } from '../../src/govern/store/index.ts';
import { buildWeeklyDigest, readAuditPeriod } from '../../src/govern/weekly-digest.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { WEEK_FROM, WEEK_TO, writeWeek } from './audit-week.ts';
import { tempDir } from './store/temp-dir.ts';

const PAGE = 4;

/** The week, after `history` records of older weeks (one an hour from mid-February). */
async function weekLog(t: Parameters<typeof tempDir>[0], history = 0) {
  const dir = await tempDir(t);
  const clock = new ManualClock('2026-02-16T00:00:00Z');
  const audit = await createAuditLog({ dir, clock, segmentBytes: 2_000 });
  for (let i = 0; i < history; i++) {
    clock.advance(3_600_000);
    await audit.append({
      type: 'execution.finished',
      actor: { type: 'bot', id: 'belay' },
      summary: 'succeeded',
      data: { outcome: { status: 'succeeded', message: 'old' } },
    });
  }
  const expected = await writeWeek(audit, clock);
  return { dir, audit, expected };
}

describe('weekly digest: refusing what cannot be counted', () => {
  it('refuses a period that ends before it starts, or an invalid date, with what was given', () => {
    const from = new Date(WEEK_FROM);
    assert.throws(() => buildWeeklyDigest([], from, from), /start is before its end/);
    assert.throws(() => buildWeeklyDigest([], new Date(WEEK_TO), from), /start is before its end/);
    assert.throws(() => buildWeeklyDigest([], new Date('not a date'), from), /Invalid Date/);
  });

  it('an empty week is all zeros, not an error', () => {
    assert.deepEqual(buildWeeklyDigest([], new Date(WEEK_FROM), new Date(WEEK_TO)), {
      from: WEEK_FROM,
      to: WEEK_TO,
      executed: 0,
      approved: 0,
      rejected: 0,
      reverted: 0,
      expired: 0,
      blockedByReason: [],
      dryRun: [],
      noisiestAlerts: [],
    });
  });

  it('refuses a page size that is not a positive integer', async (t) => {
    const { audit } = await weekLog(t);
    for (const size of [0, -1, 1.5]) {
      await assert.rejects(
        readAuditPeriod(audit, new Date(WEEK_FROM), new Date(WEEK_TO), size),
        /pageSize must be a positive integer/,
      );
    }
  });
});

describe('weekly digest: a week of audit records', () => {
  it('counts the week exactly: once per proposal, blocks by rule, dry runs by rule and outcome, alerts by firing', async (t) => {
    const { audit, expected } = await weekLog(t);
    const from = new Date(WEEK_FROM);
    const to = new Date(WEEK_TO);
    const events = await readAuditPeriod(audit, from, to, PAGE);
    assert.deepEqual(buildWeeklyDigest(events, from, to), expected);
  });

  it('reads exactly the period: the first record at `from`, none at `to`, in seq order', async (t) => {
    const { audit } = await weekLog(t);
    const events = await readAuditPeriod(audit, new Date(WEEK_FROM), new Date(WEEK_TO), PAGE);
    const all = await audit.read();
    const inWeek = all.filter((e) => e.at >= WEEK_FROM && e.at < WEEK_TO);
    assert.deepEqual(events, inWeek);
    assert.equal(events[0]?.at, WEEK_FROM);
    assert.ok(
      all.some((e) => e.at < WEEK_FROM) && all.some((e) => e.at >= WEEK_TO),
      'the log holds both sides',
    );
  });

  it('never opens history before the period: a damaged segment from last week does not stop the digest', async (t) => {
    const { dir, audit, expected } = await weekLog(t, 21);
    const from = new Date(WEEK_FROM);
    const to = new Date(WEEK_TO);
    const segments = (await readdir(dir)).filter((n) => /^\d{12}\.jsonl$/.test(n)).sort();
    assert.ok(segments.length > 5, `expected many segments, got ${segments.length}`);
    await writeFile(join(dir, segments[0] as string), 'not json\n');
    // Reading from the start would now fail, so the digest succeeding proves it did not read there.
    await assert.rejects(audit.read(), /line 1 of audit segment .* is damaged: not JSON/);
    const events = await readAuditPeriod(audit, from, to, PAGE);
    assert.deepEqual(buildWeeklyDigest(events, from, to), expected);
  });

  it('reads the whole log when the period starts before it', async (t) => {
    const { audit } = await weekLog(t);
    const events = await readAuditPeriod(
      audit,
      new Date('2020-01-01T00:00:00Z'),
      new Date('2030-01-01T00:00:00Z'),
      PAGE,
    );
    assert.deepEqual(
      events.map((e) => e.seq),
      (await audit.read()).map((e) => e.seq),
    );
  });

  it('an empty log gives no records', async (t) => {
    const audit = await createAuditLog({ dir: await tempDir(t), clock: new ManualClock() });
    assert.deepEqual(await readAuditPeriod(audit, new Date(WEEK_FROM), new Date(WEEK_TO)), []);
  });

  it('counts from any iterable, in any order, ignoring records outside the period', async (t) => {
    const { audit, expected } = await weekLog(t);
    const all = await audit.read();
    function* backwards(): Generator<AuditEvent> {
      for (let i = all.length - 1; i >= 0; i--) yield all[i] as AuditEvent;
    }
    assert.deepEqual(buildWeeklyDigest(backwards(), new Date(WEEK_FROM), new Date(WEEK_TO)), expected);
  });
});
