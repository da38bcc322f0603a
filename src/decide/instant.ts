// Instants in facts and the ledger are ISO strings, almost always in toISOString's canonical form
// (2026-03-14T02:17:00.000Z). Two canonical strings order exactly as the times they name, so comparing the
// strings answers "before or after?" without Date.parse, which dominated decide's time with a long ledger.
// Any other form (an offset, no milliseconds) falls back to Date.parse, so results never depend on the form.

/** Is `iso` in toISOString's form, so that it orders as text? */
export function isCanonical(iso: string): boolean {
  return iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */ && iso.charCodeAt(19) === 46 /* . */;
}

/** A time, as milliseconds and (when representable) as a canonical ISO string, for fast comparisons. */
export interface Instant {
  readonly ms: number;
  readonly iso: string | undefined;
}

const FIRST_CANONICAL_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_CANONICAL_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

export function instant(ms: number): Instant {
  // Outside years 0000–9999 no canonical string names the time, but every canonical one is after (or
  // before) it: '' sorts before and '~' after any string that starts with a digit. NaN compares by parsing.
  const iso =
    ms < FIRST_CANONICAL_MS
      ? ''
      : ms > LAST_CANONICAL_MS
        ? '~'
        : ms >= FIRST_CANONICAL_MS
          ? new Date(Math.floor(ms)).toISOString()
          : undefined;
  return { ms, iso };
}

/** Is `iso` strictly after `bound`? */
export function isAfter(iso: string, bound: Instant): boolean {
  return bound.iso !== undefined && isCanonical(iso) ? iso > bound.iso : Date.parse(iso) > bound.ms;
}

/** Is `iso` at or before `bound`? */
export function isAtOrBefore(iso: string, bound: Instant): boolean {
  return bound.iso !== undefined && isCanonical(iso) ? iso <= bound.iso : Date.parse(iso) <= bound.ms;
}

/** Is `iso` in (since, end]? One canonical check for both bounds: this runs once per ledger entry. */
export function isWithin(iso: string, since: Instant, end: Instant): boolean {
  if (since.iso !== undefined && end.iso !== undefined && isCanonical(iso))
    return iso > since.iso && iso <= end.iso;
  const ms = Date.parse(iso);
  return ms > since.ms && ms <= end.ms;
}

/** Sort comparator for ISO instants, earliest first. */
export function compareInstants(a: string, b: string): number {
  if (isCanonical(a) && isCanonical(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Date.parse(a) - Date.parse(b);
}

/** Is `now` inside [start, end)? */
export function isOpenAt(window: { start: string; end: string }, now: Instant): boolean {
  return isAtOrBefore(window.start, now) && isAfter(window.end, now);
}
