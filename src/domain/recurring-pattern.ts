import { z } from 'zod';
import { utcOffsetAt } from './zoned-time.ts';

// A pattern nobody configured: a target's metric that rises well above its own baseline at about the same
// time every day (or every week). Found in Prometheus history by observe/patterns; read by the policy and
// the card through the facts. Pure: times are read in the pattern's own zone with the runtime's tz data.

export const recurringPatternSchema = z
  .object({
    target: z
      .object({
        cluster: z.string().min(1).optional(),
        namespace: z.string().min(1),
        pod: z.string().min(1).optional(),
        workload: z
          .object({ kind: z.string().min(1), name: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict(),
    /** What rises: "memory", "cpu", "restarts". */
    signal: z.string().min(1).max(100),
    period: z.enum(['daily', 'weekly']),
    /** For a weekly pattern: 0 Sunday … 6 Saturday, in `timeZone`. */
    weekday: z.number().int().min(0).max(6).optional(),
    /** Minutes of the day in `timeZone`: the widest reasonable bound of the rise. `endMinute` may pass 1440 (past midnight). */
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(2879),
    timeZone: z.string().min(1),
    daysSeen: z.number().int().nonnegative(),
    daysExamined: z.number().int().positive(),
    /** The signal's usual level and its typical peak during the pattern, in the signal's unit. */
    baseline: z.number(),
    peak: z.number(),
    coincidingCronJob: z
      .object({ namespace: z.string().min(1), name: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type RecurringPattern = z.infer<typeof recurringPatternSchema>;

const DAY_MINUTES = 1440;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
// Zones change offset on a quarter hour of UTC (Lord Howe at 15:30, Chatham at 14:00), so one
// reading per quarter hour serves weeks of samples (a detector reads millions) without asking Intl for each.
const QUARTER_HOUR_MS = 900_000;
const offsets = new Map<string, number>();

function offsetAt(timeZone: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone}@${quarter}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const offset = utcOffsetAt(timeZone, quarter);
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** An instant read on the wall clock of a zone: the day (counted from 1970-01-01 there), weekday (0 Sunday) and minute of the day. */
export function wallClockAt(timeZone: string, ms: number): { day: number; weekday: number; minute: number } {
  const wall = ms + offsetAt(timeZone, ms);
  const day = Math.floor(wall / DAY_MS);
  return { day, weekday: (((day + 4) % 7) + 7) % 7, minute: Math.floor((wall - day * DAY_MS) / 60_000) };
}

/** The instant a wall-clock minute of a zone's day happens (the earlier one in a repeated hour). */
export function instantOfWallMinute(timeZone: string, day: number, minute: number): number {
  const wall = day * DAY_MS + minute * 60_000;
  const guess = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, guess);
}

/** True when `ms` falls inside the pattern's time of day (and weekday, for a weekly one). */
export function patternCoversAt(pattern: RecurringPattern, ms: number): boolean {
  const { weekday, minute } = wallClockAt(pattern.timeZone, ms);
  const inDay = (day: number, m: number) =>
    (pattern.period === 'daily' || day === pattern.weekday) &&
    m >= pattern.startMinute &&
    m < pattern.endMinute;
  // A pattern that runs past midnight covers the small hours of the next day too.
  return inDay(weekday, minute) || inDay((weekday + 6) % 7, minute + DAY_MINUTES);
}

/** `postgres-0's memory rises like this every night 02:00–02:45 UTC (7 of the last 7 nights), while CronJob postgres-backup runs` */
export function describePattern(pattern: RecurringPattern): string {
  // A Deployment's pods get new names each time; a StatefulSet's pod keeps its own (postgres-0).
  const { pod, workload } = pattern.target;
  const replaceable = workload && ['Deployment', 'DaemonSet', 'ReplicaSet'].includes(workload.kind);
  const who = (replaceable ? workload.name : pod) ?? workload?.name ?? pattern.target.namespace;
  const night = pattern.startMinute < 6 * 60 || pattern.startMinute >= 21 * 60;
  const unit = pattern.period === 'weekly' ? `${WEEKDAYS[pattern.weekday ?? 0]}` : night ? 'night' : 'day';
  const span = `${clock(pattern.startMinute)}–${clock(pattern.endMinute)} ${pattern.timeZone}`;
  const evidence = `${pattern.daysSeen} of the last ${pattern.daysExamined} ${unit}s`;
  const job = pattern.coincidingCronJob ? `, while CronJob ${pattern.coincidingCronJob.name} runs` : '';
  return `${who}'s ${pattern.signal} rises like this every ${unit} ${span} (${evidence})${job}`;
}

/** `02:45`, wrapping past midnight. */
export function clock(minute: number): string {
  const m = ((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
