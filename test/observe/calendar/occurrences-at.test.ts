import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowOccurrenceSchema } from '../../../src/domain/index.ts';
import {
  CalendarTimingError,
  type CalendarWindow,
  nextOccurrences,
  occurrencesAt,
} from '../../../src/observe/calendar/index.ts';
import { configWindow, postgresSubject, spans, storyWindow } from './window-fixtures.ts';

describe('occurrencesAt: the story window', () => {
  it('covers 02:17 UTC and ends at 02:45, from the config file', () => {
    const found = occurrencesAt([storyWindow()], postgresSubject, new Date('2026-03-14T02:17:00Z'));
    assert.deepEqual(found, [
      {
        name: 'postgres-nightly-backup',
        kind: 'backup',
        start: '2026-03-14T02:00:00.000Z',
        end: '2026-03-14T02:45:00.000Z',
        blocks: 'all',
        source: { type: 'config', ref: 'belay.yaml windows/postgres-nightly-backup' },
      },
    ]);
    for (const occurrence of found) windowOccurrenceSchema.parse(occurrence);
  });
  it('does not cover 14:00, and the next one opens the following 02:00', () => {
    const at = new Date('2026-03-14T14:00:00Z');
    assert.deepEqual(occurrencesAt([storyWindow()], postgresSubject, at), []);
    assert.deepEqual(spans(nextOccurrences([storyWindow()], postgresSubject, at, 2)), [
      '2026-03-15T02:00:00.000Z → 2026-03-15T02:45:00.000Z',
      '2026-03-16T02:00:00.000Z → 2026-03-16T02:45:00.000Z',
    ]);
  });
});

describe('occurrencesAt: inside, outside and edges', () => {
  const daily = configWindow({ name: 'daily', schedule: '0 2 * * *', duration: '45m' });
  const cases: [string, string, string[]][] = [
    ['one millisecond before it opens', '2026-03-14T01:59:59.999Z', []],
    [
      'the instant it opens (start inclusive)',
      '2026-03-14T02:00:00.000Z',
      ['2026-03-14T02:00:00.000Z → 2026-03-14T02:45:00.000Z'],
    ],
    ['inside', '2026-03-14T02:30:00.000Z', ['2026-03-14T02:00:00.000Z → 2026-03-14T02:45:00.000Z']],
    [
      'one millisecond before it closes',
      '2026-03-14T02:44:59.999Z',
      ['2026-03-14T02:00:00.000Z → 2026-03-14T02:45:00.000Z'],
    ],
    ['the instant it closes (end exclusive)', '2026-03-14T02:45:00.000Z', []],
    ['the afternoon', '2026-03-14T14:00:00.000Z', []],
  ];
  for (const [label, at, expected] of cases) {
    it(label, () => assert.deepEqual(spans(occurrencesAt([daily], postgresSubject, new Date(at))), expected));
  }
});

describe('occurrencesAt: across midnight', () => {
  const cases: [string, CalendarWindow, string, string[]][] = [
    [
      '23:30 UTC + 2h covers 00:30 the next day and ends that day',
      configWindow({ name: 'late', schedule: '30 23 * * *', duration: '2h' }),
      '2026-03-15T00:30:00Z',
      ['2026-03-14T23:30:00.000Z → 2026-03-15T01:30:00.000Z'],
    ],
    [
      '23:30 UTC + 2h covers 23:45 the same day',
      configWindow({ name: 'late', schedule: '30 23 * * *', duration: '2h' }),
      '2026-03-14T23:45:00Z',
      ['2026-03-14T23:30:00.000Z → 2026-03-15T01:30:00.000Z'],
    ],
    [
      '23:30 Europe/Berlin + 2h covers 00:30 local the next day',
      configWindow({ name: 'late', schedule: '30 23 * * *', duration: '2h', timezone: 'Europe/Berlin' }),
      '2026-03-15T23:30:00Z',
      ['2026-03-15T22:30:00.000Z → 2026-03-16T00:30:00.000Z'],
    ],
    [
      'a Sunday-night window still covers Monday 01:00',
      configWindow({ name: 'weekly', schedule: '0 22 * * 0', duration: '4h' }),
      '2026-03-16T01:00:00Z',
      ['2026-03-15T22:00:00.000Z → 2026-03-16T02:00:00.000Z'],
    ],
  ];
  for (const [label, window, at, expected] of cases) {
    it(label, () =>
      assert.deepEqual(spans(occurrencesAt([window], postgresSubject, new Date(at))), expected),
    );
  }
});

describe('occurrencesAt: overlapping windows and one-off ranges', () => {
  it('returns every overlapping occurrence, soonest-ending first', () => {
    const backup = configWindow({ name: 'backup', kind: 'backup', schedule: '0 2 * * *', duration: '45m' });
    const maintenance = configWindow({ name: 'patching', schedule: '30 2 * * *', duration: '1h' });
    const found = occurrencesAt([maintenance, backup], postgresSubject, new Date('2026-03-14T02:40:00Z'));
    assert.deepEqual(
      found.map((o) => `${o.name} ${o.end}`),
      ['backup 2026-03-14T02:45:00.000Z', 'patching 2026-03-14T03:30:00.000Z'],
    );
  });
  it('returns two occurrences of one window when its duration outlasts its period', () => {
    const hourly = configWindow({ name: 'hourly', schedule: '0 * * * *', duration: '90m' });
    assert.deepEqual(spans(occurrencesAt([hourly], postgresSubject, new Date('2026-03-14T02:10:00Z'))), [
      '2026-03-14T01:00:00.000Z → 2026-03-14T02:30:00.000Z',
      '2026-03-14T02:00:00.000Z → 2026-03-14T03:30:00.000Z',
    ]);
  });
  const freeze = configWindow({
    name: 'holiday-freeze',
    kind: 'freeze',
    from: '2026-12-23T18:00:00+01:00',
    to: '2027-01-02T09:00:00+01:00',
  });
  const cases: [string, string, string[]][] = [
    ['before the freeze', '2026-12-23T16:59:59.999Z', []],
    [
      'its first instant',
      '2026-12-23T17:00:00.000Z',
      ['2026-12-23T17:00:00.000Z → 2027-01-02T08:00:00.000Z'],
    ],
    ['across new year', '2027-01-01T00:00:00.000Z', ['2026-12-23T17:00:00.000Z → 2027-01-02T08:00:00.000Z']],
    ['its end (exclusive)', '2027-01-02T08:00:00.000Z', []],
  ];
  for (const [label, at, expected] of cases) {
    it(`one-off freeze: ${label}`, () =>
      assert.deepEqual(spans(occurrencesAt([freeze], postgresSubject, new Date(at))), expected));
  }
  it('lists a one-off range among the next occurrences only before it opens', () => {
    assert.deepEqual(
      nextOccurrences([freeze], postgresSubject, new Date('2026-12-01T00:00:00Z'), 5).map((o) => o.name),
      ['holiday-freeze'],
    );
    assert.deepEqual(nextOccurrences([freeze], postgresSubject, new Date('2026-12-24T00:00:00Z'), 5), []);
  });
});

describe('occurrencesAt: selectors and blocks', () => {
  const at = new Date('2026-03-14T02:17:00Z');
  const window = (selector: Record<string, unknown>, blocks?: unknown) =>
    configWindow({
      name: 'w',
      schedule: '0 2 * * *',
      duration: '45m',
      selector,
      ...(blocks ? { blocks } : {}),
    });
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['an empty selector matches everything', {}, true],
    ['namespace glob matches', { namespaces: ['data*'] }, true],
    ['namespace glob misses', { namespaces: ['staging-*'] }, false],
    ['pod name glob matches', { names: ['postgres-?'] }, true],
    ['workload name matches', { names: ['postgres'] }, true],
    ['name glob misses', { names: ['redis-*'] }, false],
    ['labels all match', { labels: { app: 'postgres', tier: 'data' } }, true],
    ['one label differs', { labels: { app: 'postgres', tier: 'web' } }, false],
    ['cluster glob misses', { clusters: ['prod-*'] }, false],
    ['every field must match', { namespaces: ['databases'], names: ['redis-*'] }, false],
  ];
  for (const [label, selector, matches] of cases) {
    it(label, () => {
      const w = window(selector);
      assert.equal(occurrencesAt([w], postgresSubject, at).length, matches ? 1 : 0);
      assert.equal(nextOccurrences([w], postgresSubject, at, 1).length, matches ? 1 : 0);
    });
  }
  it('keeps which actions the window blocks', () => {
    const [occurrence] = occurrencesAt([window({}, ['restart-pod', 'rollout-restart'])], postgresSubject, at);
    assert.deepEqual(occurrence?.blocks, ['restart-pod', 'rollout-restart']);
  });
});

describe('occurrencesAt: a window the calendar cannot place', () => {
  it('throws an error naming the window instead of silently dropping it', () => {
    const broken: CalendarWindow = {
      name: 'nightly-backup',
      kind: 'backup',
      timing: { type: 'recurring', schedule: '0 2 * * *', timezone: 'Europe/Berln', durationMs: 60_000 },
      selector: {},
      blocks: 'all',
      source: { type: 'cronjob', ref: 'databases/nightly-backup' },
    };
    assert.throws(
      () => occurrencesAt([broken], postgresSubject, new Date('2026-03-14T02:17:00Z')),
      (error: unknown) =>
        error instanceof CalendarTimingError &&
        error.code === 'invalid-window-timing' &&
        /nightly-backup.*databases\/nightly-backup.*Europe\/Berln/.test(error.message),
    );
  });
  it('throws for a schedule cron refuses', () => {
    const broken: CalendarWindow = {
      ...storyWindow(),
      timing: { type: 'recurring', schedule: '0 25 * * *', timezone: 'UTC', durationMs: 60_000 },
    };
    assert.throws(
      () => nextOccurrences([broken], postgresSubject, new Date('2026-03-14T00:00:00Z'), 1),
      CalendarTimingError,
    );
  });
});
