import { CronTime, validateCronExpression } from 'cron';
import { closestMatch, type WindowDefinition } from '../domain/index.ts';

// When a window is open, and whether that can be computed. It lives in config/ because loadConfig refuses
// a schedule the calendar could not compute, and the calendar engine (observe/calendar/) builds on these
// same types and checks, so the two cannot disagree.

/** When a window is open: a cron schedule read in a time zone, open for an absolute duration; or one range. */
export type WindowTiming =
  | {
      readonly type: 'recurring';
      /** Cron expression (5 fields, or 6 with seconds first) read as wall-clock time in `timezone`. */
      readonly schedule: string;
      /** IANA time zone name. */
      readonly timezone: string;
      /** Elapsed time from each start: 45m is 45 real minutes even when the clocks change meanwhile. */
      readonly durationMs: number;
    }
  | { readonly type: 'one-off'; readonly from: Date; readonly to: Date };

/** The timing of a window from belay.yaml, already parsed by windowDefinitionSchema. */
export function windowTiming(def: WindowDefinition): WindowTiming {
  if (def.schedule !== undefined && def.duration !== undefined) {
    return { type: 'recurring', schedule: def.schedule, timezone: def.timezone, durationMs: def.duration };
  }
  if (def.from !== undefined && def.to !== undefined) {
    return { type: 'one-off', from: new Date(def.from), to: new Date(def.to) };
  }
  throw new TypeError(
    `window "${def.name}" has neither schedule + duration nor from + to; parse it with windowDefinitionSchema first`,
  );
}

/** True when the runtime's tz database knows the zone (an IANA name, or an alias such as US/Eastern). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const CRON_HELP =
  'write five fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * *" for 02:00 every day ' +
  'or "30 1 * * 0" for 01:30 every Sunday';
// Any expression that can match does so within four years of a leap-year January (29 February included).
const PROBE_FROM = new Date(Date.UTC(2024, 0, 1));

/** What check-config says about a window's timing; empty when the calendar can compute it. */
export function windowTimingProblems(def: WindowDefinition): string[] {
  return timingProblems(windowTiming(def));
}

/** The same checks for a window from any source (a discovered CronJob, a silence). */
export function timingProblems(timing: WindowTiming): string[] {
  if (timing.type === 'one-off') {
    const from = timing.from.getTime();
    const to = timing.to.getTime();
    if (Number.isNaN(from) || Number.isNaN(to)) return ['from and to must be ISO 8601 times with an offset'];
    return from < to ? [] : ['`to` must be after `from`'];
  }
  const problems: string[] = [];
  if (!isKnownTimeZone(timing.timezone)) {
    const guess = closestTimeZone(timing.timezone);
    problems.push(
      `timezone "${timing.timezone}" is not an IANA time zone; ` +
        (guess ? `did you mean "${guess}"? ` : '') +
        'write a name from the tz database such as "Europe/Berlin", "America/New_York" or "UTC"',
    );
  }
  if (!(timing.durationMs > 0)) problems.push('duration must be longer than zero; write it like 45m or 2h');
  const check = validateCronExpression(timing.schedule);
  if (!check.valid) {
    const why = check.error?.message ? ` (${check.error.message})` : '';
    problems.push(`schedule "${timing.schedule}" is not a valid cron expression${why}; ${CRON_HELP}`);
    return problems;
  }
  const cron = new CronTime(timing.schedule, 'UTC');
  let first: number;
  try {
    first = cron.getNextDateFrom(PROBE_FROM, 'UTC').toMillis();
  } catch {
    problems.push(`schedule "${timing.schedule}" never opens (no such date, like 31 February); ${CRON_HELP}`);
    return problems;
  }
  const second = cron.getNextDateFrom(new Date(first), 'UTC').toMillis();
  if (second - first < 60_000) {
    problems.push(
      `schedule "${timing.schedule}" opens more than once a minute; a window opens at most every minute, ` +
        'so drop the leading seconds field',
    );
  }
  return problems;
}

function closestTimeZone(input: string): string | undefined {
  const wanted = input.trim();
  if (wanted === '') return undefined;
  return closestMatch(
    wanted,
    [...Intl.supportedValuesOf('timeZone'), 'UTC'],
    Math.max(2, Math.floor(wanted.length / 5)),
  );
}
