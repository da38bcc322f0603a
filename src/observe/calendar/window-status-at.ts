import type { SelectorSubject, WindowOccurrence } from '../../domain/index.ts';
import type { CalendarWindow } from './calendar-window.ts';
import { coveringUntil, nextOccurrences, occurrencesAt, occurrencesOpening } from './occurrences.ts';

export interface WindowStatus {
  /** Occurrences covering `at`, soonest-ending first; empty when the target is outside every window. */
  readonly covering: WindowOccurrence[];
  /** Occurrences opening after `at` before the covering ones close, which keep the target covered. */
  readonly chained: WindowOccurrence[];
  /** When the target is out of every window (covering and chained); undefined when it is outside now. */
  readonly until?: Date;
  /** The chain ran past the horizon (windows that reopen before they close): `until` is a lower bound. */
  readonly horizonReached: boolean;
  /** The next occurrence to open once the target is free (after `at` when it is free now). */
  readonly next?: WindowOccurrence;
}

const DEFAULT_HORIZON_MS = 7 * 86_400_000;

/**
 * Is this target inside a window at `at`, which ones, until when, and when is the next one. Facts for the
 * policy engine take `covering` plus `chained`, so the engine can name the real end of a chained block.
 */
export function windowStatusAt(
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  at: Date,
  options: { horizonMs?: number } = {},
): WindowStatus {
  const covering = occurrencesAt(windows, subject, at);
  const firstUntil = coveringUntil(covering, at);
  if (!firstUntil) {
    return {
      covering,
      chained: [],
      horizonReached: false,
      next: nextOccurrences(windows, subject, at, 1)[0],
    };
  }
  const atMs = at.getTime();
  const horizonMs = atMs + (options.horizonMs ?? DEFAULT_HORIZON_MS);
  let untilMs = firstUntil.getTime();
  let opening: WindowOccurrence[] = [];
  // Look ahead twice as far as the chain reaches so far, so a long chain takes a few rounds, not one per link.
  for (let probeMs = untilMs; ; ) {
    opening = occurrencesOpening(windows, subject, at, new Date(Math.min(probeMs, horizonMs)));
    untilMs = coveringUntil([...covering, ...opening], at)?.getTime() ?? untilMs;
    if (untilMs <= probeMs || probeMs >= horizonMs) break;
    probeMs = atMs + 2 * (untilMs - atMs);
  }
  const until = new Date(untilMs);
  const chained = opening.filter((o) => Date.parse(o.start) <= untilMs);
  const horizonReached = untilMs > horizonMs;
  return { covering, chained, until, horizonReached, next: nextOccurrences(windows, subject, until, 1)[0] };
}
