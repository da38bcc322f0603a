import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsSchema, type RecurringPattern } from '../../../src/domain/index.ts';
import {
  createPatternCache,
  type PatternReading,
  patternCaution,
} from '../../../src/observe/patterns/index.ts';

const nightly: RecurringPattern = {
  target: {
    namespace: 'shop',
    pod: 'web-7d9f8c6b5-x2k4p',
    workload: { kind: 'ReplicaSet', name: 'web-7d9f8c6b5' },
  },
  signal: 'memory',
  period: 'daily',
  startMinute: 120,
  endMinute: 165,
  timeZone: 'UTC',
  daysSeen: 7,
  daysExamined: 7,
  baseline: 1,
  peak: 3,
};
const at = new Date('2026-03-14T02:17:00Z');
const facts = (extra: Record<string, unknown> = {}) =>
  factsSchema.parse({
    cluster: 'default',
    namespace: 'shop',
    owner: { kind: 'Deployment', name: 'web' },
    ...extra,
  });

describe('patternCaution: the cached pattern that holds for this target now', () => {
  it("finds a Deployment's pattern through its ReplicaSet, after the pod was replaced", () => {
    const caution = patternCaution([nightly], facts({ pod: { name: 'web-7d9f8c6b5-zzzzz' } }), at);
    assert.equal(caution?.pattern, nightly);
    assert.match(
      caution?.description ?? '',
      /^web-7d9f8c6b5's memory rises like this every night 02:00–02:45 UTC/,
    );
    assert.equal(caution?.suggestedWindow.schedule, '0 2 * * *');
  });

  it('says nothing outside the pattern’s hours, for another target, or another cluster', () => {
    assert.equal(patternCaution([nightly], facts(), new Date('2026-03-14T03:00:00Z')), undefined);
    assert.equal(patternCaution([nightly], facts({ namespace: 'batch' }), at), undefined);
    assert.equal(
      patternCaution([nightly], facts({ owner: { kind: 'Deployment', name: 'web-canary' } }), at),
      undefined,
    );
    const elsewhere = { ...nightly, target: { ...nightly.target, cluster: 'homelab' } };
    assert.equal(patternCaution([elsewhere], facts(), at), undefined);
  });

  it('says nothing when a window already covers the target now, whatever its source', () => {
    const window = {
      name: 'postgres-backup',
      kind: 'backup',
      start: '2026-03-14T02:00:00Z',
      end: '2026-03-14T02:40:00Z',
      blocks: 'all',
      source: { type: 'backup-job', ref: 'shop/job/export-1' },
    };
    assert.equal(patternCaution([nightly], facts({ windows: [window] }), at), undefined);
    const ended = { ...window, end: '2026-03-14T02:10:00Z' };
    assert.ok(patternCaution([nightly], facts({ windows: [ended] }), at));
  });
});

describe('the pattern cache', () => {
  it('serves the last good reading, shares a refresh under way, and keeps the patterns when one fails', async () => {
    const readings: PatternReading[] = [
      { ok: true, patterns: [nightly], seriesExamined: 3 },
      { ok: false, error: 'Prometheus at http://p did not answer within 60000 ms' },
    ];
    let reads = 0;
    const cache = createPatternCache(
      async () => readings[reads++] as PatternReading,
      () => at,
    );
    assert.deepEqual(cache.current(), []);
    assert.equal(cache.refreshedAt(), undefined);
    const [a, b] = await Promise.all([cache.refresh(), cache.refresh()]);
    assert.equal(reads, 1, 'two callers, one read');
    assert.equal(a, b);
    assert.deepEqual(cache.current(), [nightly]);
    assert.equal(cache.refreshedAt(), at);
    const failed = await cache.refresh();
    assert.equal(failed.ok, false);
    assert.deepEqual(cache.current(), [nightly], 'a failed refresh keeps what was found');
  });

  it('turns a reader that throws into a failed reading', async () => {
    const cache = createPatternCache(
      async () => {
        throw new Error('boom');
      },
      () => at,
    );
    assert.deepEqual(await cache.refresh(), { ok: false, error: 'boom' });
  });
});
