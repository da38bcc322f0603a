import {
  instantOfWallMinute,
  type RecurringPattern,
  type SelectorSubject,
  wallClockAt,
} from '../../domain/index.ts';
import { type CalendarWindow, occurrencesAt } from '../calendar/index.ts';

/** What a window's selector is matched against for a pattern's target: its pod and its workload. */
export function subjectOfPattern(pattern: RecurringPattern, defaultCluster: string): SelectorSubject {
  const { target } = pattern;
  const names = [target.pod, target.workload?.name].filter((n): n is string => Boolean(n));
  return { cluster: target.cluster ?? defaultCluster, namespace: target.namespace, names, labels: {} };
}

/**
 * The windows that cover the pattern's last occurrence before `beforeMs`, from its first minute to its last;
 * empty when any minute of it is left uncovered (then the pattern still needs a window).
 */
export function windowsCoveringPattern(
  pattern: RecurringPattern,
  windows: readonly CalendarWindow[],
  beforeMs: number,
  defaultCluster: string,
): string[] {
  const occurrence = lastOccurrence(pattern, beforeMs);
  if (!occurrence) return [];
  const subject = subjectOfPattern(pattern, defaultCluster);
  const names = new Set<string>();
  for (let at = occurrence.startMs; at < occurrence.endMs; at += 60_000) {
    const covering = occurrencesAt(windows, subject, new Date(at));
    if (covering.length === 0) return [];
    for (const c of covering) names.add(c.name);
  }
  return [...names];
}

/** The most recent time the pattern ran, as instants: within the last eight days before `beforeMs`. */
function lastOccurrence(pattern: RecurringPattern, beforeMs: number) {
  const today = wallClockAt(pattern.timeZone, beforeMs).day;
  for (let day = today; day >= today - 8; day--) {
    if (pattern.period === 'weekly' && (((day + 4) % 7) + 7) % 7 !== pattern.weekday) continue;
    const startMs = instantOfWallMinute(pattern.timeZone, day, pattern.startMinute);
    const endMs = instantOfWallMinute(pattern.timeZone, day, pattern.endMinute);
    if (endMs <= beforeMs) return { startMs, endMs };
  }
  return undefined;
}
