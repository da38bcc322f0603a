import { type SelectorSubject, selectorMatches, type WindowOccurrence } from '../../domain/index.ts';
import type { CalendarWindow } from './calendar-window.ts';
import { CalendarTimingError, type Span, spansCovering, spansOpeningAfter } from './recurring-series.ts';

interface Found extends Span {
  readonly window: CalendarWindow;
}

/** Names the window in a timing error, so the engineer knows which calendar entry to fix. */
function forWindow<T>(window: CalendarWindow, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof CalendarTimingError)) throw error;
    throw new CalendarTimingError(
      `window "${window.name}" (${window.source.ref}) cannot be placed on the calendar: ${error.message}; ` +
        'run belay check-config to see how to fix it',
      { cause: error },
    );
  }
}

/** The spans of each window matching the subject, as `pick` chooses them. */
function collect(
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  pick: (window: CalendarWindow) => readonly Span[],
): Found[] {
  const found: Found[] = [];
  for (const window of windows) {
    if (!selectorMatches(window.selector, subject)) continue;
    for (const span of forWindow(window, () => pick(window))) found.push({ ...span, window });
  }
  return found;
}

function oneOffSpan(window: CalendarWindow): Span | undefined {
  const { timing } = window;
  return timing.type === 'one-off'
    ? { startMs: timing.from.getTime(), endMs: timing.to.getTime() }
    : undefined;
}

function toOccurrence({ window, startMs, endMs }: Found): WindowOccurrence {
  return {
    name: window.name,
    kind: window.kind,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    blocks: window.blocks === 'all' ? 'all' : [...window.blocks],
    source: { ...window.source },
    ...(window.job ? { job: { ...window.job } } : {}),
  };
}

const byEnd = (a: Found, b: Found) =>
  a.endMs - b.endMs || a.startMs - b.startMs || a.window.name.localeCompare(b.window.name);
const byStart = (a: Found, b: Found) =>
  a.startMs - b.startMs || a.endMs - b.endMs || a.window.name.localeCompare(b.window.name);

/**
 * Every occurrence that covers `at` (start inclusive, end exclusive) of the windows whose selector matches
 * the subject; overlapping windows all come back, soonest-ending first. Throws CalendarTimingError for a
 * recurring window whose schedule or zone check-config would refuse, so that it never silently vanishes.
 */
export function occurrencesAt(
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  at: Date,
): WindowOccurrence[] {
  const atMs = at.getTime();
  return collect(windows, subject, (window) => {
    if (window.timing.type === 'recurring') return spansCovering(window.timing, atMs);
    const span = oneOffSpan(window);
    return span && span.startMs <= atMs && atMs < span.endMs ? [span] : [];
  })
    .sort(byEnd)
    .map(toOccurrence);
}

/** The next `limit` occurrences to open strictly after `after`, across all matching windows, soonest first. */
export function nextOccurrences(
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  after: Date,
  limit: number,
): WindowOccurrence[] {
  if (limit <= 0) return [];
  const afterMs = after.getTime();
  return collect(windows, subject, (window) => {
    if (window.timing.type === 'recurring') return spansOpeningAfter(window.timing, afterMs, limit);
    const span = oneOffSpan(window);
    return span && span.startMs > afterMs ? [span] : [];
  })
    .sort(byStart)
    .slice(0, limit)
    .map(toOccurrence);
}

/** Every occurrence that opens in (after, until], across all matching windows, soonest first. */
export function occurrencesOpening(
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  after: Date,
  until: Date,
): WindowOccurrence[] {
  const afterMs = after.getTime();
  const untilMs = until.getTime();
  const within = (span: Span) => span.startMs > afterMs && span.startMs <= untilMs;
  return collect(windows, subject, (window) => {
    const { timing } = window;
    if (timing.type === 'one-off') return [oneOffSpan(window)].filter((s): s is Span => !!s && within(s));
    // Ask for more until one opens past `until` or the schedule runs out; spans come from the cache.
    for (let limit = 8; ; limit *= 2) {
      const spans = spansOpeningAfter(timing, afterMs, limit);
      const last = spans[spans.length - 1];
      if (spans.length < limit || (last && last.startMs > untilMs)) return spans.filter(within);
    }
  })
    .sort(byStart)
    .map(toOccurrence);
}

/**
 * When the target is out of every window, starting from `at`: overlapping and back-to-back occurrences
 * chain (02:00–02:45 and 02:30–03:30 → 03:30). Undefined when none of them covers `at`.
 */
export function coveringUntil(occurrences: readonly WindowOccurrence[], at: Date): Date | undefined {
  const spans = occurrences
    .map((o) => ({ startMs: Date.parse(o.start), endMs: Date.parse(o.end) }))
    .sort((a, b) => a.startMs - b.startMs);
  let until = at.getTime();
  let covered = false;
  for (const span of spans) {
    if (span.startMs > until) break;
    if (span.endMs > until) {
      until = span.endMs;
      covered = true;
    }
  }
  return covered ? new Date(until) : undefined;
}
