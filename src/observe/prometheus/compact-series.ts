import type { QueryData } from './prometheus-response.ts';
import { sampleValue } from './prometheus-response.ts';

export type Point = readonly [seconds: number, value: number];

/**
 * At most `max` points, in time order: the series is cut into ⌊max/2⌋ equal runs and each run keeps its
 * lowest and its highest point, so a spike or a dip survives where picking every n-th point would drop it.
 */
export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 2));
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const run = points.slice(
      Math.floor((b * points.length) / buckets),
      Math.floor(((b + 1) * points.length) / buckets),
    );
    const first = run[0];
    if (!first) continue;
    let low = first;
    let high = first;
    for (const p of run) {
      if (rank(p[1]) < rank(low[1])) low = p;
      if (rank(p[1]) > rank(high[1])) high = p;
    }
    if (max === 1 || low === high) out.push(high);
    else out.push(...(low[0] <= high[0] ? [low, high] : [high, low]));
  }
  return out.slice(0, max);
}

// NaN never wins a bucket unless the bucket holds nothing else.
const rank = (v: number) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v);

export interface CompactSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** [ISO time, value]; a value JSON cannot hold as a number ("NaN", "+Inf") stays a string. */
  readonly points: readonly (readonly [string, number | string])[];
  /** How many points Prometheus returned, when more than were kept. */
  readonly pointsReturned?: number;
}

export interface CompactResult {
  readonly resultType: QueryData['resultType'];
  readonly series?: readonly CompactSeries[];
  /** A scalar or string result. */
  readonly value?: readonly [string, number | string];
  readonly seriesReturned?: number;
  /** What was cut, in words, or undefined when nothing was. */
  readonly cut?: string;
}

/**
 * A query result the model (or a Slack message) can read: at most `maxSeries` series, the highest first,
 * each with at most `maxPoints` points, and a note of exactly what was left out.
 */
export function compactResult(
  data: QueryData,
  limits: { readonly maxSeries: number; readonly maxPoints: number },
  redact: (text: string) => string,
): CompactResult {
  if (data.resultType === 'scalar' || data.resultType === 'string')
    return { resultType: data.resultType, value: [iso(data.result[0]), shown(data.result[1])] };
  const all = (
    data.resultType === 'vector'
      ? data.result.map((s) => ({ metric: s.metric, values: [s.value] }))
      : data.result.map((s) => ({ metric: s.metric, values: s.values }))
  ).map((s) => ({
    metric: s.metric,
    points: s.values.map(([t, v]): Point => [t, sampleValue(v)]),
  }));
  all.sort((a, b) => peak(b.points) - peak(a.points));
  const kept = all.slice(0, limits.maxSeries);
  let thinned = 0;
  const series = kept.map((s): CompactSeries => {
    const points = downsample(s.points, limits.maxPoints);
    if (points.length < s.points.length) thinned++;
    return {
      labels: Object.fromEntries(Object.entries(s.metric).map(([k, v]) => [k, redact(v)])),
      points: points.map(([t, v]) => [iso(t), shown(v)]),
      ...(points.length < s.points.length ? { pointsReturned: s.points.length } : {}),
    };
  });
  const notes = [
    all.length > kept.length &&
      `showing ${kept.length} of ${all.length} series (the highest first); narrow the query with labels or aggregate it (sum by, topk)`,
    thinned > 0 &&
      `${thinned} series downsampled to at most ${limits.maxPoints} points (each interval keeps its lowest and highest point)`,
  ].filter((n): n is string => typeof n === 'string');
  return {
    resultType: data.resultType,
    series,
    seriesReturned: all.length,
    ...(notes.length > 0 ? { cut: notes.join('; ') } : {}),
  };
}

function peak(points: readonly Point[]): number {
  return points.reduce((m, [, v]) => Math.max(m, rank(v)), Number.NEGATIVE_INFINITY);
}

function iso(seconds: number): string {
  return new Date(Math.round(seconds * 1_000)).toISOString().replace('.000Z', 'Z');
}

function shown(v: number | string): number | string {
  const n = typeof v === 'string' ? sampleValue(v) : v;
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
}
