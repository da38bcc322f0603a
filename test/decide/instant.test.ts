import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateBudgets } from '../../src/decide/index.ts';
import { compareInstants, instant, isOpenAt, isWithin } from '../../src/decide/instant.ts';
import { storyPolicy } from '../support/story-policy.ts';

const now = new Date('2026-03-14T10:00:00.000Z');

/** A restart of staging/api-1 at `at`, in the ledger. */
const entry = (at: string, proposalId: string) =>
  ({
    at,
    kind: 'restart-pod',
    cluster: 'default',
    namespace: 'staging',
    pod: 'api-1',
    proposalId,
  }) as const;

/** The story policy's budgets for restarting staging/api-1 (of Deployment api) now, given the ledger. */
const budgetsOfApi1 = (ledger: Parameters<typeof rateBudgets>[3]) =>
  rateBudgets(
    storyPolicy.rateLimits,
    { kind: 'restart-pod', target: { cluster: 'default', namespace: 'staging', pod: 'api-1' } },
    { kind: 'Deployment', name: 'api' },
    ledger,
    now,
  );

describe('instant comparisons without Date.parse', () => {
  it('give the same answers for canonical and non-canonical forms of the same time', () => {
    const since = instant(Date.parse('2026-03-14T09:00:00Z'));
    const end = instant(now.getTime());
    const cases: [string, boolean][] = [
      ['2026-03-14T09:00:00.000Z', false], // the bound itself is excluded
      ['2026-03-14T09:00:00.001Z', true],
      ['2026-03-14T10:00:00.000Z', true], // now is included
      ['2026-03-14T10:00:00.001Z', false],
      ['2026-03-14T11:30:00+02:00', true], // 09:30Z, written with an offset
      ['2026-03-14T09:00:00Z', false], // no milliseconds: parsed, not compared as text
      ['2026-03-14T05:30:01-04:30', false], // 10:00:01Z
      ['2026-03-14T04:59:59-04:30', true],
    ];
    for (const [iso, expected] of cases) assert.equal(isWithin(iso, since, end), expected, iso);
  });

  it('orders mixed forms by time, not by text', () => {
    const sorted = ['2026-03-14T10:00:00.000Z', '2026-03-14T11:30:00+02:00', '2026-03-14T09:45:00Z'].sort(
      compareInstants,
    );
    assert.deepEqual(sorted, [
      '2026-03-14T11:30:00+02:00',
      '2026-03-14T09:45:00Z',
      '2026-03-14T10:00:00.000Z',
    ]);
  });

  it('treats a window as open on [start, end), and an invalid now as matching nothing', () => {
    const window = { start: '2026-03-14T09:00:00.000Z', end: '2026-03-14T10:00:00.000Z' };
    assert.equal(isOpenAt(window, instant(Date.parse(window.start))), true);
    assert.equal(isOpenAt(window, instant(now.getTime())), false);
    assert.equal(isOpenAt(window, instant(Number.NaN)), false);
  });

  it('bound a window reaching beyond years 0000–9999 (a limit over all time) without parsing wrongly', () => {
    const end = instant(now.getTime());
    for (const since of [instant(Number.NEGATIVE_INFINITY), instant(-8.64e15)]) {
      assert.equal(isWithin('0000-01-01T00:00:00.000Z', since, end), true);
      assert.equal(isWithin('2026-03-14T09:00:00+02:00', since, end), true);
      assert.equal(isWithin('2026-03-14T10:00:00.001Z', since, end), false);
      assert.equal(isWithin('not a time', since, end), false);
    }
    const forever = instant(Number.POSITIVE_INFINITY);
    assert.equal(isWithin('9999-12-31T23:59:59.999Z', instant(0), forever), true);
    assert.equal(isWithin('1970-01-01T00:00:00.000Z', instant(0), forever), false);
  });
});

describe('rate budgets from an unsorted ledger in mixed forms', () => {
  it('count, order and free slots exactly as from a sorted canonical one', () => {
    const ledger = [
      entry('2026-03-14T11:50:00+02:00', 'latest'), // 09:50Z
      entry('2026-03-14T09:10:00.000Z', 'first'),
      entry('2026-03-14T09:30:00Z', 'middle'),
    ];
    const budgets = budgetsOfApi1(ledger);
    assert.deepEqual(
      budgets.map((b) => [b.scope, b.used, b.remaining, b.nextSlotAt, b.last?.proposalId]),
      [
        // limit 1: the slot frees an hour after the newest of the three
        ['pod', 3, 0, '2026-03-14T10:50:00.000Z', 'latest'],
        // limit 3: an hour after the oldest
        ['namespace', 3, 0, '2026-03-14T10:10:00.000Z', 'latest'],
      ],
    );
  });

  it('count a chronological ledger by its window bounds: the entry at `since` is out, the one at now is in', () => {
    const ledger = [
      entry('2026-03-14T08:00:00.000Z', 'long-ago'),
      entry('2026-03-14T09:00:00.000Z', 'at-since'),
      entry('2026-03-14T09:00:00.001Z', 'just-inside'),
      { ...entry('2026-03-14T09:30:00.000Z', 'other-pod'), pod: 'api-2' },
      entry('2026-03-14T10:00:00.000Z', 'at-now'),
      entry('2026-03-14T10:00:00.001Z', 'future'),
    ];
    const budgets = budgetsOfApi1(ledger);
    assert.deepEqual(
      budgets.map((b) => [b.scope, b.used, b.nextSlotAt, b.last?.proposalId]),
      [
        ['pod', 2, '2026-03-14T11:00:00.000Z', 'at-now'],
        ['namespace', 3, '2026-03-14T10:00:00.001Z', 'at-now'],
      ],
    );
  });
});
