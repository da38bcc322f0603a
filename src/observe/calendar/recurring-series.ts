import { CronTime } from 'cron';
import { isKnownTimeZone } from '../../config/index.ts';
import { instantsOfWallTime, wallTimeAt } from '../../domain/index.ts';
import type { CalendarTiming } from './calendar-window.ts';

type RecurringTiming = Extract<CalendarTiming, { type: 'recurring' }>;

/** One opening of a recurring window, in absolute milliseconds: covers [startMs, endMs). */
export interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

/** A recurring window's timing cannot be computed: the schedule or zone is one check-config refuses. */
export class CalendarTimingError extends Error {
  readonly code = 'invalid-window-timing';
}

// Clocks move back by at most 2 h in the tz database (Antarctica/Troll); a reading more than this before
// the reading at T cannot belong to an instant after T.
const CLOCK_SHIFT_MARGIN_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;
// Spans kept per window before the ones long closed are dropped.
const TRIM_AT = 512;

/**
 * The spans of one recurring timing, computed lazily and kept: cron takes 0.2–3 ms per step (luxon
 * underneath), and every decision asks again about nearly the same instant. Invariant: every span that
 * ends after `floorMs` and whose start reading is at or before `frontierWall` is in `spans`, in order.
 *
 * Cron runs in UTC on wall-clock readings, and the readings are mapped to instants here. cron 4.4.0's
 * own zone handling is not used because it gets fall-back days wrong: "0 3 * * *" in Europe/Berlin fires
 * at 02:00 CET on 2026-10-25 (an hour early) and a repeated 02:30 only at its first occurrence.
 */
interface Series {
  readonly cron: CronTime;
  readonly timing: RecurringTiming;
  /** The schedule fires only at second 0 (5 fields), so no match follows another within 60 s. */
  readonly wholeMinutes: boolean;
  spans: KnownSpan[];
  floorMs: number;
  frontierWall: number;
  /** frontierWall is itself a start (not where a fresh search began). */
  frontierIsStart: boolean;
  exhausted: boolean;
}

/** `reachMs`: the latest end of this span and every one before it, which (unlike endMs) never decreases. */
interface KnownSpan extends Span {
  readonly reachMs: number;
}

const seriesByTiming = new WeakMap<RecurringTiming, Series>();

function seriesFor(timing: RecurringTiming): Series {
  let series = seriesByTiming.get(timing);
  if (!series) {
    if (!isKnownTimeZone(timing.timezone)) {
      throw new CalendarTimingError(`unknown time zone "${timing.timezone}"`);
    }
    if (!(timing.durationMs > 0)) {
      throw new CalendarTimingError(`duration must be longer than zero, got ${timing.durationMs} ms`);
    }
    let cron: CronTime;
    try {
      cron = new CronTime(timing.schedule, 'UTC');
    } catch (error) {
      throw new CalendarTimingError(`schedule "${timing.schedule}" is not a valid cron expression`, {
        cause: error,
      });
    }
    series = {
      cron,
      timing,
      wholeMinutes: cron.toJSON()[0] === '0',
      spans: [],
      floorMs: Number.POSITIVE_INFINITY,
      frontierWall: 0,
      frontierIsStart: false,
      exhausted: false,
    };
    seriesByTiming.set(timing, series);
  }
  return series;
}

/** Make the series answer about instants from `fromMs` on, reusing what is known when it can. */
function anchor(series: Series, fromMs: number): void {
  const { timezone, durationMs } = series.timing;
  // Going back in time, or (judged without asking Intl: readings are within 14 h of UTC) so far ahead
  // that stepping cron through the gap would cost more than starting over.
  if (fromMs < series.floorMs || fromMs - durationMs - DAY_MS > series.frontierWall) {
    // Starts read before this cannot produce a span still open at fromMs.
    series.frontierWall = wallTimeAt(timezone, fromMs - durationMs) - CLOCK_SHIFT_MARGIN_MS;
    series.frontierIsStart = false;
    series.spans = [];
    series.floorMs = fromMs;
    series.exhausted = false;
    return;
  }
  if (series.spans.length > TRIM_AT) {
    const keepFrom = firstEndingAfter(series.spans, fromMs);
    series.spans = series.spans.slice(keepFrom);
    series.floorMs = fromMs;
  }
}

function step(series: Series): KnownSpan | undefined {
  if (series.exhausted) return undefined;
  let wall: number;
  try {
    // cron walks second by second through the rest of a matched minute; skip that walk when it cannot match.
    const from =
      series.frontierIsStart && series.wholeMinutes ? series.frontierWall + 59_000 : series.frontierWall;
    wall = series.cron.getNextDateFrom(new Date(from), 'UTC').toMillis();
  } catch {
    // cron gives up when nothing matches within 8 years of today ("0 0 31 2 *"); check-config reports it.
    series.exhausted = true;
    return undefined;
  }
  series.frontierWall = wall;
  series.frontierIsStart = true;
  const { earliest, latest } = instantsOfWallTime(series.timing.timezone, wall);
  // A start that happens twice (fall-back) or not at all (spring-forward) covers every instant a
  // scheduler could pick for it: from the earliest candidate to the latest one plus the duration.
  const endMs = latest + series.timing.durationMs;
  const before = series.spans[series.spans.length - 1];
  const span = { startMs: earliest, endMs, reachMs: Math.max(endMs, before?.reachMs ?? endMs) };
  series.spans.push(span);
  return span;
}

/**
 * Index of the first span that may still be open after `ms`; every span before it has ended by then.
 * Starts never decrease, but ends can: on a spring-forward day a skipped 02:30 is held open until 03:30
 * plus the duration, past the 03:00 span's end. Hence the search on reach.
 */
function firstEndingAfter(spans: readonly KnownSpan[], ms: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((spans[mid]?.reachMs ?? 0) > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Every span of the timing that covers `atMs`: startMs <= atMs < endMs. */
export function spansCovering(timing: RecurringTiming, atMs: number): Span[] {
  const series = seriesFor(timing);
  anchor(series, atMs);
  let last = series.spans[series.spans.length - 1];
  while (!last || last.startMs <= atMs) {
    const next = step(series);
    if (!next) break;
    last = next;
  }
  const covering: Span[] = [];
  for (let i = firstEndingAfter(series.spans, atMs); i < series.spans.length; i++) {
    const span = series.spans[i];
    if (!span || span.startMs > atMs) break;
    if (span.endMs > atMs) covering.push({ startMs: span.startMs, endMs: span.endMs });
  }
  return covering;
}

/** The next `limit` spans that open strictly after `afterMs`. */
export function spansOpeningAfter(timing: RecurringTiming, afterMs: number, limit: number): Span[] {
  const series = seriesFor(timing);
  anchor(series, afterMs);
  const found: Span[] = [];
  for (let i = firstEndingAfter(series.spans, afterMs); i < series.spans.length; i++) {
    const span = series.spans[i];
    if (span && span.startMs > afterMs) found.push({ startMs: span.startMs, endMs: span.endMs });
    if (found.length >= limit) return found;
  }
  while (found.length < limit) {
    const next = step(series);
    if (!next) break;
    if (next.startMs > afterMs) found.push({ startMs: next.startMs, endMs: next.endMs });
  }
  return found;
}
