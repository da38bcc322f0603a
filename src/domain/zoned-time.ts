// Wall-clock readings in an IANA time zone, as "floating" milliseconds: the reading written as if it were
// UTC (02:30 local on 2026-03-29 is Date.UTC(2026, 2, 29, 2, 30)). Cron matches fields against such
// readings; this module maps them to and from real instants with the runtime's own tz database (Intl).
// Windows and recurring patterns are both read on a zone's wall clock, so both read it here.

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY_MS = 86_400_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for a zone the runtime does not know; callers validate zones up front.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds to add to an instant to get its wall-clock reading in the zone (+3_600_000 for CET). */
export function utcOffsetAt(timeZone: string, instantMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  const wholeSecond = instantMs - (((instantMs % 1_000) + 1_000) % 1_000);
  return wall - wholeSecond;
}

/** The wall-clock reading of an instant, as floating milliseconds. */
export function wallTimeAt(timeZone: string, instantMs: number): number {
  return instantMs + utcOffsetAt(timeZone, instantMs);
}

/**
 * The instants a wall-clock reading can mean. Usually one (earliest === latest). On a fall-back day a
 * reading inside the repeated hour happens twice: earliest is the first, latest the second. On a
 * spring-forward day a reading inside the skipped hour never happens: earliest is the moment the clocks
 * jump (where most schedulers run a skipped job), latest is the reading pushed forward by the jump
 * (02:30 → 03:30, what Go's time.Date and luxon answer). Assumes no two transitions within a day.
 */
export function instantsOfWallTime(timeZone: string, wallMs: number): { earliest: number; latest: number } {
  const offsetBefore = utcOffsetAt(timeZone, wallMs - DAY_MS);
  const offsetAfter = utcOffsetAt(timeZone, wallMs + DAY_MS);
  const valid = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallTimeAt(timeZone, instant) === wallMs)
    .sort((a, b) => a - b);
  const first = valid[0];
  const last = valid[valid.length - 1];
  if (first !== undefined && last !== undefined) return { earliest: first, latest: last };
  // A gap: both readings land on the other side of the jump. Find the jump to the second.
  let lo = Math.min(wallMs - offsetBefore, wallMs - offsetAfter);
  let hi = Math.max(wallMs - offsetBefore, wallMs - offsetAfter);
  const offsetAtLo = utcOffsetAt(timeZone, lo);
  while (hi - lo > 1_000) {
    const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
    if (utcOffsetAt(timeZone, mid) === offsetAtLo) lo = mid;
    else hi = mid;
  }
  return { earliest: hi, latest: wallMs - offsetAtLo };
}
