import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronTime } from 'cron';
import { instantsOfWallTime } from '../../../src/domain/index.ts';
import { type CalendarWindow, nextOccurrences, occurrencesAt } from '../../../src/observe/calendar/index.ts';
import { configWindow, postgresSubject, spans } from './window-fixtures.ts';

// Our rule (see recurring-series.ts): a start time that does not exist that day (spring forward) or
// happens twice (fall back) gives ONE occurrence covering every instant a scheduler could pick for it:
// from the earliest candidate to the latest candidate plus the duration. A window never disappears and
// never shrinks; on those two days a year it may stay open up to one hour longer. Durations are elapsed time.
// Europe/Berlin 2026: clocks jump 02:00 → 03:00 on 29 March (01:00Z) and 03:00 → 02:00 on 25 October (01:00Z).
// America/New_York 2026: 02:00 → 03:00 on 8 March (07:00Z) and 02:00 → 01:00 on 1 November (06:00Z).

const daily = (schedule: string, timezone: string, duration = '45m') =>
  configWindow({ name: 'w', schedule, duration, timezone });

const cases: [string, CalendarWindow, string, string[]][] = [
  [
    'Berlin, spring forward: 02:30 does not exist, the window opens when the clocks jump and stays until 03:30 + 45m',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-03-29T01:00:00.000Z',
    ['2026-03-29T01:00:00.000Z → 2026-03-29T02:15:00.000Z'],
  ],
  [
    'Berlin, spring forward: one second before the jump is outside',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-03-29T00:59:59.000Z',
    [],
  ],
  [
    'Berlin, spring forward: the last millisecond is inside',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-03-29T02:14:59.999Z',
    ['2026-03-29T01:00:00.000Z → 2026-03-29T02:15:00.000Z'],
  ],
  [
    'Berlin, the day before: 02:30 CET',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-03-28T01:40:00Z',
    ['2026-03-28T01:30:00.000Z → 2026-03-28T02:15:00.000Z'],
  ],
  [
    'Berlin, the day after: 02:30 CEST',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-03-30T00:40:00Z',
    ['2026-03-30T00:30:00.000Z → 2026-03-30T01:15:00.000Z'],
  ],
  [
    'Berlin, fall back: 02:30 happens twice, the window covers from the first until the second + 45m',
    daily('30 2 * * *', 'Europe/Berlin'),
    '2026-10-25T01:20:00Z',
    ['2026-10-25T00:30:00.000Z → 2026-10-25T02:15:00.000Z'],
  ],
  [
    'Berlin, fall back: 03:00 happens once, at 03:00 CET (cron 4.4.0 alone would say 02:00 CET)',
    daily('0 3 * * *', 'Europe/Berlin'),
    '2026-10-25T02:10:00Z',
    ['2026-10-25T02:00:00.000Z → 2026-10-25T02:45:00.000Z'],
  ],
  [
    'Berlin, fall back: nothing at 02:00 CET for a 03:00 window',
    daily('0 3 * * *', 'Europe/Berlin'),
    '2026-10-25T01:10:00Z',
    [],
  ],
  [
    'Berlin, a duration is elapsed time: 01:00 + 3h on the spring day ends at 05:00 local',
    daily('0 1 * * *', 'Europe/Berlin', '3h'),
    '2026-03-29T02:30:00Z',
    ['2026-03-29T00:00:00.000Z → 2026-03-29T03:00:00.000Z'],
  ],
  [
    'New York, spring forward: 02:30 does not exist',
    daily('30 2 * * *', 'America/New_York'),
    '2026-03-08T07:05:00Z',
    ['2026-03-08T07:00:00.000Z → 2026-03-08T08:15:00.000Z'],
  ],
  [
    'New York, fall back: 01:30 happens twice',
    daily('30 1 * * *', 'America/New_York'),
    '2026-11-01T07:00:00Z',
    ['2026-11-01T05:30:00.000Z → 2026-11-01T07:15:00.000Z'],
  ],
  [
    'New York, fall back: 02:00 happens once, at 02:00 EST (cron 4.4.0 alone would say 01:00 EST)',
    daily('0 2 * * *', 'America/New_York'),
    '2026-11-01T07:30:00Z',
    ['2026-11-01T07:00:00.000Z → 2026-11-01T07:45:00.000Z'],
  ],
  [
    'New York, fall back: nothing at 01:00 EST for a 02:00 window',
    daily('0 2 * * *', 'America/New_York'),
    '2026-11-01T06:30:00Z',
    [],
  ],
];

describe('occurrencesAt across daylight-saving changes', () => {
  for (const [label, window, at, expected] of cases) {
    it(label, () =>
      assert.deepEqual(spans(occurrencesAt([window], postgresSubject, new Date(at))), expected),
    );
  }
  it('an hourly window through the skipped hour: the skipped 02:30 is kept and overlaps the 03:30 opening', () => {
    const hourly = daily('30 * * * *', 'Europe/Berlin', '20m');
    assert.deepEqual(spans(nextOccurrences([hourly], postgresSubject, new Date('2026-03-29T00:00:00Z'), 3)), [
      '2026-03-29T00:30:00.000Z → 2026-03-29T00:50:00.000Z',
      '2026-03-29T01:00:00.000Z → 2026-03-29T01:50:00.000Z',
      '2026-03-29T01:30:00.000Z → 2026-03-29T01:50:00.000Z',
    ]);
    assert.deepEqual(spans(occurrencesAt([hourly], postgresSubject, new Date('2026-03-29T01:40:00Z'))), [
      '2026-03-29T01:00:00.000Z → 2026-03-29T01:50:00.000Z',
      '2026-03-29T01:30:00.000Z → 2026-03-29T01:50:00.000Z',
    ]);
  });
  it('the next occurrences step over both changes one a day', () => {
    const window = daily('30 2 * * *', 'Europe/Berlin');
    assert.deepEqual(
      nextOccurrences([window], postgresSubject, new Date('2026-10-24T12:00:00Z'), 2).map((o) => o.start),
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    );
  });
});

describe('what cron 4.4.0 does on its own (why the calendar maps wall-clock times itself)', () => {
  const cronSays = (schedule: string, timeZone: string, from: string) =>
    new CronTime(schedule, timeZone).getNextDateFrom(new Date(from), timeZone).toUTC().toISO();
  it('moves a skipped 02:30 to the jump (03:00 CEST), which our window also covers', () => {
    assert.equal(cronSays('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z'), '2026-03-29T01:00:00.000Z');
  });
  it('fires a repeated 02:30 at the first one only', () => {
    assert.equal(cronSays('30 2 * * *', 'Europe/Berlin', '2026-10-25T00:31:00Z'), '2026-10-26T01:30:00.000Z');
  });
  it('fires "0 3 * * *" an hour early on the fall-back day; when this stops failing, cron fixed it', () => {
    assert.equal(cronSays('0 3 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z'), '2026-10-25T01:00:00.000Z');
  });
});

describe('instantsOfWallTime', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  const table: [string, string, string, string][] = [
    ['Europe/Berlin', '2026-01-15T02:30:00', '2026-01-15T01:30:00.000Z', '2026-01-15T01:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:30:00', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25T02:30:00', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['America/New_York', '2026-03-08T02:00:00', '2026-03-08T07:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['Asia/Kolkata', '2026-06-01T00:00:00', '2026-05-31T18:30:00.000Z', '2026-05-31T18:30:00.000Z'],
  ];
  for (const [zone, reading, earliest, latest] of table) {
    it(`${reading} in ${zone}`, () => {
      const found = instantsOfWallTime(zone, wall(reading));
      assert.deepEqual(
        [new Date(found.earliest).toISOString(), new Date(found.latest).toISOString()],
        [earliest, latest],
      );
    });
  }
});
