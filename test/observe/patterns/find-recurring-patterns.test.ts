import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePattern, patternCoversAt, wallClockAt } from '../../../src/domain/index.ts';
import {
  type CronJobRuns,
  findRecurringPatterns,
  type PatternSeries,
} from '../../../src/observe/patterns/index.ts';
import type { HistorySeries } from '../../fakes/openmetrics-history.ts';
import { storyHistory } from '../../fakes/story-history.ts';

// The detector on the story's two weeks, sampled in-process every 5 min as Prometheus would answer the
// reader's queries: gauges as they are, counters as a rate (CPU) or an increase (restarts).
const END = Date.UTC(2026, 2, 14, 14, 0);
const STEP = 300_000;
const history = storyHistory({ endMs: END });
const { startMs, endMs } = history.span;

function sampled(series: HistorySeries, as: 'value' | 'rate' | 'increase'): [number, number][] {
  // Each instant read once and in time order: the CPU counter integrates forward and restarts if asked backwards.
  const out: [number, number][] = [];
  let before = series.valueAt(startMs);
  for (let t = startMs + STEP; t <= endMs; t += STEP) {
    const now = series.valueAt(t);
    if (now !== undefined && before !== undefined)
      out.push([t, as === 'value' ? now : as === 'rate' ? (now - before) / (STEP / 1000) : now - before]);
    before = now;
  }
  return out;
}

const SIGNALS = {
  container_memory_working_set_bytes: ['memory', 'value'],
  container_cpu_usage_seconds: ['cpu', 'rate'],
  kube_pod_container_status_restarts: ['restarts', 'increase'],
} as const;

const STORY_SERIES = storySeries();

function storySeries(): PatternSeries[] {
  return history.series.flatMap((s) => {
    const signal = SIGNALS[s.name as keyof typeof SIGNALS];
    if (!signal) return [];
    const { namespace = '', pod = '' } = s.labels;
    const workload = pod === 'postgres-0' ? { workload: { kind: 'StatefulSet', name: 'postgres' } } : {};
    return [{ labels: { namespace, pod }, signal: signal[0], samples: sampled(s, signal[1]), ...workload }];
  });
}

const backupJob: CronJobRuns = {
  cronjob: { namespace: 'databases', name: 'postgres-backup' },
  runs: history.backups.map((b) => ({ startMs: b.startMs, endMs: b.endMs })),
};

describe('findRecurringPatterns', () => {
  const patterns = findRecurringPatterns({
    series: STORY_SERIES,
    jobs: [backupJob],
    sinceMs: startMs,
    untilMs: endMs,
  });

  it('finds the nightly backup rise of postgres-0, from 02:00 to past the release, with the CronJob', () => {
    const backup = patterns.find((p) => p.target.pod === 'postgres-0' && p.signal === 'memory');
    assert.ok(backup, `no postgres pattern in ${JSON.stringify(patterns)}`);
    assert.equal(backup.period, 'daily');
    assert.equal(backup.startMinute, 120);
    // The longest run is 41 min and the release takes 6 more: the bound covers them all.
    assert.ok(backup.endMinute >= 120 + 47 && backup.endMinute <= 120 + 60, `ends at ${backup.endMinute}`);
    assert.equal(backup.daysSeen, 14);
    assert.equal(backup.daysExamined, 14);
    assert.deepEqual(backup.coincidingCronJob, { namespace: 'databases', name: 'postgres-backup' });
    assert.deepEqual(backup.target.workload, { kind: 'StatefulSet', name: 'postgres' });
    assert.ok(Math.abs(backup.baseline - 2e9) < 0.1e9, `baseline ${backup.baseline}`);
    assert.ok(Math.abs(backup.peak - 6.2e9) < 0.2e9, `peak ${backup.peak}`);
  });

  it('suggests nothing for the business-hours CPU curve, the leak or the noise', () => {
    const others = patterns.filter((p) => p.target.pod !== 'postgres-0');
    assert.deepEqual(others, []);
    assert.equal(patterns.length, 1);
  });

  it('describes the pattern in plain words and knows when it holds', () => {
    const backup = patterns[0];
    assert.ok(backup);
    assert.match(
      describePattern(backup),
      /^postgres-0's memory rises like this every night 02:00–02:[45]\d UTC \(14 of the last 14 nights\), while CronJob postgres-backup runs$/,
    );
    assert.equal(patternCoversAt(backup, Date.UTC(2026, 2, 15, 2, 17)), true);
    assert.equal(patternCoversAt(backup, Date.UTC(2026, 2, 15, 14, 0)), false);
    assert.equal(patternCoversAt(backup, Date.UTC(2026, 2, 15, 1, 59)), false);
  });

  it('reads days in the zone it is given: the same rise is 03:00 in Berlin', () => {
    const [berlin] = findRecurringPatterns({
      series: STORY_SERIES.filter((s) => s.labels.pod === 'postgres-0'),
      jobs: [],
      sinceMs: startMs,
      untilMs: endMs,
      timeZone: 'Europe/Berlin',
    });
    assert.equal(berlin?.startMinute, 180);
    assert.equal(berlin?.timeZone, 'Europe/Berlin');
    assert.equal(berlin?.coincidingCronJob, undefined);
  });

  it('wants the rise on most days: four nights of fourteen are not a pattern', () => {
    const postgres = STORY_SERIES.find((s) => s.labels.pod === 'postgres-0' && s.signal === 'memory');
    assert.ok(postgres);
    const fourNights = postgres.samples.map(([t, v]): [number, number] =>
      Math.floor((t - startMs) / 86_400_000) % 4 === 0 ? [t, v] : [t, Math.min(v, 2.05e9)],
    );
    assert.deepEqual(
      findRecurringPatterns({
        series: [{ ...postgres, samples: fourNights }],
        jobs: [],
        sinceMs: startMs,
        untilMs: endMs,
      }),
      [],
    );
  });

  it('finds a weekly rise when it comes back on the same weekday for weeks', () => {
    const weeks = 4;
    const since = END - weeks * 7 * 86_400_000;
    const samples: [number, number][] = [];
    for (let t = since; t <= END; t += STEP) {
      const d = new Date(t);
      const sundayNight = d.getUTCDay() === 0 && d.getUTCHours() === 3;
      samples.push([t, sundayNight ? 5 : 1 + (t % 7) / 100]);
    }
    const found = findRecurringPatterns({
      series: [{ labels: { namespace: 'shop', pod: 'search-0' }, signal: 'cpu', samples }],
      jobs: [],
      sinceMs: since,
      untilMs: END,
    });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.period, 'weekly');
    assert.equal(found[0]?.weekday, 0);
    assert.equal(found[0]?.startMinute, 175);
    assert.match(
      describePattern(found[0] as never),
      /every Sunday 02:55–04:00 UTC \(4 of the last 4 Sundays\)/,
    );
  });

  it('ignores series without a namespace and series too short to have a baseline', () => {
    assert.deepEqual(
      findRecurringPatterns({
        series: [
          { labels: { pod: 'x' }, signal: 'memory', samples: [[startMs, 1]] },
          {
            labels: { namespace: 'a', pod: 'y' },
            signal: 'memory',
            samples: [
              [startMs, 1],
              [startMs + STEP, 9],
            ],
          },
        ],
        jobs: [],
        sinceMs: startMs,
        untilMs: endMs,
      }),
      [],
    );
  });
});

describe('wall clocks of zones that change on the half hour', () => {
  it('reads Lord Howe right in the half hour after its clocks go forward at 15:30 UTC', () => {
    // 2026-10-04 02:00 local (+10:30) becomes 02:30 (+11:00); at 15:40 UTC it is 02:40 there.
    const at = Date.parse('2026-10-03T15:40:00Z');
    assert.equal(wallClockAt('Australia/Lord_Howe', at).minute, 2 * 60 + 40);
    assert.equal(wallClockAt('Australia/Lord_Howe', at - 20 * 60_000).minute, 60 + 50, '01:50 just before');
    // The same instants in a whole-hour zone, for contrast: Sydney is +10 until 16:00 UTC.
    assert.equal(wallClockAt('Australia/Sydney', at).minute, 60 + 40);
  });
});
