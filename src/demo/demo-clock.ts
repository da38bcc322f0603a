import type { Clock } from '../domain/index.ts';

/** The playground's clock: it runs at the speed of real time from wherever the panel last moved it. */
export interface DemoClock extends Clock {
  /** Jumps forward to `at`; time then runs on from there. Backwards is refused (see `moveTo`). */
  moveTo(at: Date): void;
  /** Waits `ms` of real time, which is `ms` of demo time too: the executor verifies at this pace. */
  sleep(ms: number): Promise<void>;
}

export function createDemoClock(start: Date, realNow: () => number = Date.now): DemoClock {
  let offset = start.getTime() - realNow();
  const now = () => new Date(realNow() + offset);
  return {
    now,
    moveTo(at) {
      if (Number.isNaN(at.getTime())) throw new Error('that is not a date and time; nothing changed');
      // Belay's store, audit log and rate limits read time in order, as a real clock gives it.
      if (at.getTime() < now().getTime())
        throw new Error(
          `the demo clock only moves forward (it is ${now().toISOString()}, you asked for ${at.toISOString()}); pick a later time, or restart the demo to start over`,
        );
      offset = at.getTime() - realNow();
    },
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
}

/** The next time after now that the clock reads `hh:mm` UTC: later today, or tomorrow. */
export function nextTimeOfDay(clock: Clock, hhmm: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new Error(`"${hhmm}" is not a time of day: write it as HH:MM, 24-hour, UTC (say 02:17)`);
  const now = clock.now();
  const at = new Date(`${now.toISOString().slice(0, 10)}T${match[1]}:${match[2]}:00Z`);
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
