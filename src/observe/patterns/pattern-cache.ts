import type { RecurringPattern } from '../../domain/index.ts';
import type { PatternReading } from './read-recurring-patterns.ts';

/**
 * The patterns the decision reads, kept in memory: refreshed in the background (hourly), read without
 * waiting. A failed refresh keeps what the last good one found, so a Prometheus hiccup does not make every
 * pattern vanish until the next hour.
 */
export interface PatternCache {
  /** What the last good refresh found; empty before the first. Never waits. */
  current(): readonly RecurringPattern[];
  /** Reads the history now; a refresh already under way is shared, not doubled. */
  refresh(): Promise<PatternReading>;
  /** When the last good refresh finished, if any. */
  refreshedAt(): Date | undefined;
}

export function createPatternCache(read: () => Promise<PatternReading>, now: () => Date): PatternCache {
  let patterns: readonly RecurringPattern[] = [];
  let at: Date | undefined;
  let running: Promise<PatternReading> | undefined;
  return {
    current: () => patterns,
    refreshedAt: () => at,
    refresh() {
      running ??= read()
        .catch(
          (error: unknown): PatternReading => ({
            ok: false,
            error: (error as Error).message ?? String(error),
          }),
        )
        .then((reading) => {
          if (reading.ok) {
            patterns = reading.patterns;
            at = now();
          }
          return reading;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
  };
}
