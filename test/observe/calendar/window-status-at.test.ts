import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WindowOccurrence } from '../../../src/domain/index.ts';
import {
  type CalendarWindow,
  coveringUntil,
  nextOccurrences,
  occurrencesAt,
  windowStatusAt,
} from '../../../src/observe/calendar/index.ts';
import { configWindow, postgresSubject, spans, storyWindow } from './window-fixtures.ts';

const occurrence = (name: string, start: string, end: string): WindowOccurrence => ({
  name,
  kind: 'maintenance',
  start,
  end,
  blocks: 'all',
  source: { type: 'config', ref: `belay.yaml windows/${name}` },
});

describe('coveringUntil', () => {
  const at = new Date('2026-03-14T02:17:00Z');
  const cases: [string, WindowOccurrence[], string | undefined][] = [
    ['nothing covers', [], undefined],
    [
      'one window',
      [occurrence('a', '2026-03-14T02:00:00Z', '2026-03-14T02:45:00Z')],
      '2026-03-14T02:45:00.000Z',
    ],
    [
      'overlapping windows chain: 02:00–02:45 and 02:30–03:30 → 03:30',
      [
        occurrence('a', '2026-03-14T02:00:00Z', '2026-03-14T02:45:00Z'),
        occurrence('b', '2026-03-14T02:30:00Z', '2026-03-14T03:30:00Z'),
      ],
      '2026-03-14T03:30:00.000Z',
    ],
    [
      'back-to-back windows chain',
      [
        occurrence('a', '2026-03-14T02:00:00Z', '2026-03-14T02:45:00Z'),
        occurrence('b', '2026-03-14T02:45:00Z', '2026-03-14T04:00:00Z'),
      ],
      '2026-03-14T04:00:00.000Z',
    ],
    [
      'a gap breaks the chain',
      [
        occurrence('a', '2026-03-14T02:00:00Z', '2026-03-14T02:45:00Z'),
        occurrence('b', '2026-03-14T02:46:00Z', '2026-03-14T04:00:00Z'),
      ],
      '2026-03-14T02:45:00.000Z',
    ],
    ['only a later window', [occurrence('b', '2026-03-14T03:00:00Z', '2026-03-14T04:00:00Z')], undefined],
    [
      'only an earlier, closed window',
      [occurrence('a', '2026-03-14T01:00:00Z', '2026-03-14T02:17:00Z')],
      undefined,
    ],
  ];
  for (const [label, list, expected] of cases) {
    it(label, () => assert.equal(coveringUntil(list, at)?.toISOString(), expected));
  }
});

describe('windowStatusAt', () => {
  const backup = configWindow({ name: 'backup', kind: 'backup', schedule: '0 2 * * *', duration: '45m' });
  const patching = configWindow({ name: 'patching', schedule: '30 2 * * *', duration: '1h' });

  it('the story at 02:17: inside the backup window until 02:45, next one the following night', () => {
    const status = windowStatusAt([storyWindow()], postgresSubject, new Date('2026-03-14T02:17:00Z'));
    assert.deepEqual(spans(status.covering), ['2026-03-14T02:00:00.000Z → 2026-03-14T02:45:00.000Z']);
    assert.equal(status.until?.toISOString(), '2026-03-14T02:45:00.000Z');
    assert.equal(status.next?.start, '2026-03-15T02:00:00.000Z');
    assert.equal(status.horizonReached, false);
  });
  it('the story at 14:00: outside, the next one opens at 02:00 the following day', () => {
    const status = windowStatusAt([storyWindow()], postgresSubject, new Date('2026-03-14T14:00:00Z'));
    assert.deepEqual(status.covering, []);
    assert.equal(status.until, undefined);
    assert.equal(status.next?.start, '2026-03-15T02:00:00.000Z');
  });
  it('chains a window that opens before the covering one closes, and names it', () => {
    const status = windowStatusAt([backup, patching], postgresSubject, new Date('2026-03-14T02:17:00Z'));
    assert.deepEqual(
      status.covering.map((o) => o.name),
      ['backup'],
    );
    assert.deepEqual(
      status.chained.map((o) => `${o.name} ${o.start}`),
      ['patching 2026-03-14T02:30:00.000Z'],
    );
    assert.equal(status.until?.toISOString(), '2026-03-14T03:30:00.000Z');
    assert.equal(status.next?.start, '2026-03-15T02:00:00.000Z');
  });
  it('follows a long chain of back-to-back windows', () => {
    const shifts: CalendarWindow[] = [0, 4, 8, 12, 16, 20].map((hour) =>
      configWindow({ name: `shift-${hour}`, schedule: `0 ${hour} * * 6`, duration: '4h' }),
    );
    // Saturday 2026-03-14: six back-to-back four-hour windows cover the whole day.
    const status = windowStatusAt(shifts, postgresSubject, new Date('2026-03-14T01:00:00Z'));
    assert.equal(status.until?.toISOString(), '2026-03-15T00:00:00.000Z');
    assert.equal(status.chained.length, 5);
    assert.equal(status.next?.start, '2026-03-21T00:00:00.000Z');
  });
  it('stops at the horizon for a window that reopens before it closes, and says so', () => {
    const always = configWindow({ name: 'always', schedule: '* * * * *', duration: '5m' });
    const status = windowStatusAt([always], postgresSubject, new Date('2026-03-14T02:17:00Z'), {
      horizonMs: 3_600_000,
    });
    assert.equal(status.horizonReached, true);
    assert.ok((status.until?.getTime() ?? 0) > Date.parse('2026-03-14T03:17:00Z'));
  });
});

describe('the calendar cache gives the same answers as a fresh computation', () => {
  const windows = [
    configWindow({ name: 'berlin', schedule: '*/30 1-3 * * *', duration: '40m', timezone: 'Europe/Berlin' }),
    configWindow({ name: 'ny', schedule: '30 1 * * *', duration: '2h', timezone: 'America/New_York' }),
    configWindow({ name: 'weekly', schedule: '0 22 * * 0', duration: '6h' }),
  ];
  const fresh = (): CalendarWindow[] => windows.map((w) => ({ ...w, timing: { ...w.timing } }));
  // Forward, backward, far jumps, and through both 2026 changes in both zones.
  const times = [
    '2026-03-28T23:00:00Z',
    '2026-03-29T01:10:00Z',
    '2026-03-29T00:50:00Z',
    '2026-03-08T07:20:00Z',
    '2026-10-25T01:05:00Z',
    '2026-10-25T00:35:00Z',
    '2026-11-01T06:45:00Z',
    '2026-11-01T05:29:59.999Z',
    '2026-11-02T03:00:00Z',
    '2026-01-01T00:00:00Z',
  ];
  it('in every order of questions', () => {
    for (const iso of times) {
      const at = new Date(iso);
      assert.deepEqual(
        occurrencesAt(windows, postgresSubject, at),
        occurrencesAt(fresh(), postgresSubject, at),
        iso,
      );
      assert.deepEqual(
        nextOccurrences(windows, postgresSubject, at, 5),
        nextOccurrences(fresh(), postgresSubject, at, 5),
        iso,
      );
    }
  });
  it('through many steps forward, as a running bot asks', () => {
    const start = Date.parse('2026-10-24T20:00:00Z');
    for (let minute = 0; minute < 12 * 60; minute += 7) {
      const at = new Date(start + minute * 60_000);
      assert.deepEqual(
        occurrencesAt(windows, postgresSubject, at),
        occurrencesAt(fresh(), postgresSubject, at),
      );
    }
  });
});
