import { median } from 'simple-statistics';
import { instantOfWallMinute, type RecurringPattern, wallClockAt } from '../../domain/index.ts';
import { type Episode, elevatedEpisodes, type Sample } from './elevated-episodes.ts';

// Recurring patterns in history: a series that rises well above its own baseline at about the same time
// of day on most days (or on the same weekday most weeks), briefly — a job, not the day's load. Pure:
// everything it needs is in its input.

export interface PatternSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** What the series measures: "memory", "cpu", "restarts". */
  readonly signal: string;
  readonly samples: readonly Sample[];
  /** The pod's top-level workload, when known. */
  readonly workload?: { readonly kind: string; readonly name: string };
}

export interface CronJobRuns {
  readonly cronjob: { readonly namespace: string; readonly name: string };
  readonly runs: readonly { readonly startMs: number; readonly endMs: number }[];
}

export interface PatternTuning {
  /** Share of the days examined on which the rise must appear. */
  readonly minShare: number;
  /** Fewest days (or weeks, for a weekly pattern) with the rise. */
  readonly minDays: number;
  /** A rise longer than this is the day's load (business hours), not a job. */
  readonly maxDurationMs: number;
  /** How far from the usual start a rise may begin and still count as the same pattern. */
  readonly toleranceMinutes: number;
  /** Start and end are widened to multiples of this, as a window would be written. */
  readonly roundMinutes: number;
}

export const DEFAULT_PATTERN_TUNING: PatternTuning = {
  minShare: 0.75,
  minDays: 3,
  maxDurationMs: 4 * 3_600_000,
  toleranceMinutes: 60,
  roundMinutes: 5,
};

export interface FindPatternsInput {
  readonly series: readonly PatternSeries[];
  readonly jobs: readonly CronJobRuns[];
  readonly sinceMs: number;
  readonly untilMs: number;
  /** The zone days and times of day are read in; default UTC. */
  readonly timeZone?: string;
  readonly tuning?: Partial<PatternTuning>;
}

/** A rise, placed on the wall clock: its day, and its start and end as minutes of that day. */
interface PlacedEpisode extends Episode {
  readonly day: number;
  readonly weekday: number;
  readonly startMinute: number;
}

const DAY_MINUTES = 1440;

export function findRecurringPatterns(input: FindPatternsInput): RecurringPattern[] {
  const tuning = { ...DEFAULT_PATTERN_TUNING, ...input.tuning };
  const timeZone = input.timeZone ?? 'UTC';
  const patterns: RecurringPattern[] = [];
  for (const series of input.series) {
    const namespace = series.labels.namespace;
    if (!namespace) continue;
    const samples = series.samples.filter(([ms]) => ms >= input.sinceMs && ms <= input.untilMs);
    const elevation = elevatedEpisodes(samples);
    if (!elevation || elevation.episodes.length === 0) continue;
    const placed = elevation.episodes
      .filter((e) => e.endMs - e.startMs <= tuning.maxDurationMs)
      .map((e): PlacedEpisode => ({ ...e, ...pick(wallClockAt(timeZone, e.startMs)) }));
    const context = { samples, timeZone, tuning, sinceMs: input.sinceMs, untilMs: input.untilMs };
    const daily = bestCluster(placed, () => true, context);
    const found = daily
      ? [{ ...daily, period: 'daily' as const }]
      : [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => {
          const weekly = bestCluster(placed, (w) => w === weekday, context);
          return weekly ? [{ ...weekly, period: 'weekly' as const, weekday }] : [];
        });
    for (const cluster of found) {
      const cronJob = coincidingCronJob(cluster.matched, input.jobs, namespace, tuning.minShare);
      const { cluster: clusterName, pod } = series.labels;
      patterns.push({
        target: {
          ...(clusterName ? { cluster: clusterName } : {}),
          namespace,
          ...(pod ? { pod } : {}),
          ...(series.workload ? { workload: { ...series.workload } } : {}),
        },
        signal: series.signal,
        period: cluster.period,
        ...('weekday' in cluster ? { weekday: cluster.weekday } : {}),
        startMinute: cluster.startMinute,
        endMinute: cluster.endMinute,
        timeZone,
        daysSeen: cluster.daysSeen,
        daysExamined: cluster.daysExamined,
        baseline: elevation.baseline,
        peak: median(cluster.matched.map((e) => e.peak)),
        ...(cronJob ? { coincidingCronJob: cronJob } : {}),
      });
    }
  }
  return patterns;
}

function pick(clock: { day: number; weekday: number; minute: number }) {
  return { day: clock.day, weekday: clock.weekday, startMinute: clock.minute };
}

interface ClusterContext {
  readonly samples: readonly Sample[];
  readonly timeZone: string;
  readonly tuning: PatternTuning;
  readonly sinceMs: number;
  readonly untilMs: number;
}

interface Cluster {
  readonly startMinute: number;
  readonly endMinute: number;
  readonly daysSeen: number;
  readonly daysExamined: number;
  /** One rise per day seen: the one nearest the usual start. */
  readonly matched: PlacedEpisode[];
}

/**
 * The time of day at which the rise appears on the most days (among days the filter keeps), when that is
 * most of the days examined. Every rise is tried as the centre; the rises within the tolerance of it count.
 */
function bestCluster(
  episodes: readonly PlacedEpisode[],
  keepWeekday: (weekday: number) => boolean,
  context: ClusterContext,
): Cluster | undefined {
  const candidates = episodes.filter((e) => keepWeekday(e.weekday));
  let best: PlacedEpisode[] = [];
  for (const centre of candidates) {
    const byDay = new Map<number, PlacedEpisode>();
    for (const e of candidates) {
      const distance = Math.abs(signedMinutes(e.startMinute, centre.startMinute));
      if (distance > context.tuning.toleranceMinutes) continue;
      const held = byDay.get(e.day);
      if (!held || distance < Math.abs(signedMinutes(held.startMinute, centre.startMinute)))
        byDay.set(e.day, e);
    }
    if (byDay.size > best.length) best = [...byDay.values()];
  }
  if (best.length < context.tuning.minDays) return undefined;
  const centre = median(best.map((e) => e.startMinute));
  // Widest reasonable bound: the earliest start and the latest end among the days that agree.
  const starts = best.map((e) => centre + signedMinutes(e.startMinute, centre));
  const ends = best.map((e, i) => (starts[i] ?? 0) + (e.endMs - e.startMs) / 60_000);
  const round = context.tuning.roundMinutes;
  let startMinute = Math.floor(Math.min(...starts) / round) * round;
  let endMinute = Math.ceil(Math.max(...ends) / round) * round;
  if (startMinute < 0) {
    startMinute += DAY_MINUTES;
    endMinute += DAY_MINUTES;
  }
  if (startMinute >= DAY_MINUTES) {
    startMinute -= DAY_MINUTES;
    endMinute -= DAY_MINUTES;
  }
  const seenDays = new Set(best.map((e) => e.day));
  const daysExamined = examinedDays(context, keepWeekday, startMinute, endMinute, seenDays);
  if (best.length / daysExamined < context.tuning.minShare) return undefined;
  return { startMinute, endMinute, daysSeen: best.length, daysExamined, matched: best };
}

/** `a − b` in minutes of the day, the short way round midnight: −720 … 720. */
function signedMinutes(a: number, b: number): number {
  const d = (((a - b) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return d > DAY_MINUTES / 2 ? d - DAY_MINUTES : d;
}

/** Days whose stretch [start, end) lies in the period and holds samples, plus every day a rise was seen. */
function examinedDays(
  context: ClusterContext,
  keepWeekday: (weekday: number) => boolean,
  startMinute: number,
  endMinute: number,
  seen: ReadonlySet<number>,
): number {
  const first = wallClockAt(context.timeZone, context.sinceMs).day - 1;
  const last = wallClockAt(context.timeZone, context.untilMs).day;
  let count = 0;
  for (let day = first; day <= last; day++) {
    if (seen.has(day)) {
      count++;
      continue;
    }
    if (!keepWeekday((((day + 4) % 7) + 7) % 7)) continue;
    const from = instantOfWallMinute(context.timeZone, day, startMinute);
    const to = instantOfWallMinute(context.timeZone, day, endMinute);
    if (from < context.sinceMs || to > context.untilMs) continue;
    if (hasSampleIn(context.samples, from, to)) count++;
  }
  return count;
}

function hasSampleIn(samples: readonly Sample[], from: number, to: number): boolean {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((samples[mid]?.[0] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  const found = samples[lo];
  return found !== undefined && found[0] <= to;
}

/** The CronJob whose runs overlap most of the rises (its own namespace first on a tie). */
function coincidingCronJob(
  rises: readonly Episode[],
  jobs: readonly CronJobRuns[],
  namespace: string,
  minShare: number,
): { namespace: string; name: string } | undefined {
  let best: { job: CronJobRuns; overlaps: number } | undefined;
  for (const job of jobs) {
    const overlaps = rises.filter((rise) =>
      job.runs.some((run) => run.startMs < rise.endMs && run.endMs > rise.startMs),
    ).length;
    const better =
      !best ||
      overlaps > best.overlaps ||
      (overlaps === best.overlaps &&
        job.cronjob.namespace === namespace &&
        best.job.cronjob.namespace !== namespace);
    if (better) best = { job, overlaps };
  }
  if (!best || best.overlaps === 0 || best.overlaps < minShare * rises.length) return undefined;
  return { namespace: best.job.cronjob.namespace, name: best.job.cronjob.name };
}
