import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timingProblems, windowTimingProblems } from '../../src/config/index.ts';
import { windowDefinitionSchema } from '../../src/domain/index.ts';

const problemsOf = (fields: Record<string, unknown>) =>
  windowTimingProblems(windowDefinitionSchema.parse({ name: 'nightly', duration: '45m', ...fields }));

describe('windowTimingProblems', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'an hour out of range',
      { schedule: '0 25 * * *' },
      /schedule "0 25 \* \* \*" is not a valid cron expression.*out of range.*"0 2 \* \* \*"/,
    ],
    ['too few fields', { schedule: '0 2 * *' }, /Too few fields.*write five fields/],
    ['an unknown word', { schedule: '0 2 * * monday' }, /not a valid cron expression.*write five fields/],
    ['a date that never comes', { schedule: '0 0 31 2 *' }, /never opens.*31 February/],
    ['every second', { schedule: '* * * * * *' }, /more than once a minute.*drop the leading seconds field/],
    [
      'a misspelt zone',
      { schedule: '0 2 * * *', timezone: 'Europe/Berln' },
      /timezone "Europe\/Berln" is not an IANA time zone; did you mean "Europe\/Berlin"\?/,
    ],
    [
      'an invented zone',
      { schedule: '0 2 * * *', timezone: 'Mars/Olympus_Mons' },
      /is not an IANA time zone; write a name from the tz database such as "Europe\/Berlin"/,
    ],
    ['an empty zone', { schedule: '0 2 * * *', timezone: '' }, /timezone "" is not an IANA time zone/],
  ];
  for (const [label, fields, message] of bad) {
    it(`refuses ${label}`, () => {
      const problems = problemsOf(fields);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', message);
    });
  }
  it('reports a bad schedule and a bad zone together', () => {
    assert.equal(problemsOf({ schedule: '0 25 * * *', timezone: 'Europe/Berln' }).length, 2);
  });
  const good: [string, Record<string, unknown>][] = [
    ['the story window', { schedule: '0 2 * * *', timezone: 'UTC' }],
    ['a weekday range in New York', { schedule: '30 1 * * 1-5', timezone: 'America/New_York' }],
    ['a leap day', { schedule: '0 0 29 2 *', timezone: 'Europe/Berlin' }],
    ['a six-field expression at second 0', { schedule: '0 0 2 * * *' }],
    ['a preset', { schedule: '@weekly' }],
    [
      'a one-off range',
      { duration: undefined, from: '2026-12-23T18:00:00+01:00', to: '2027-01-02T09:00:00+01:00' },
    ],
  ];
  for (const [label, fields] of good) {
    it(`accepts ${label}`, () => assert.deepEqual(problemsOf(fields), []));
  }
  it('checks a window from another source the same way', () => {
    assert.match(
      timingProblems({ type: 'recurring', schedule: '0 2 * * *', timezone: 'UTC', durationMs: 0 }).join(),
      /duration must be longer than zero/,
    );
    assert.match(
      timingProblems({ type: 'one-off', from: new Date('2026-12-24'), to: new Date('2026-12-23') }).join(),
      /`to` must be after `from`/,
    );
  });
});
