import { median, medianAbsoluteDeviation } from 'simple-statistics';

// Where a series stands well above its own usual level. Robust statistics (median, MAD) so the rises
// themselves barely move the baseline they are measured against.

export type Sample = readonly [ms: number, value: number];

export interface Episode {
  /** The widest reasonable bound: the last quiet sample before the rise and the first quiet one after. */
  readonly startMs: number;
  readonly endMs: number;
  readonly peak: number;
}

export interface Elevation {
  readonly baseline: number;
  readonly episodes: Episode[];
}

/** A MAD is the spread of a normal distribution times this. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Episodes of a series: stretches above a low bar (the rise and the release) that reach a high bar
 * (well above the baseline: six spreads, and at least half the baseline again). Undefined when the series
 * is too short to say what its baseline is.
 */
export function elevatedEpisodes(samples: readonly Sample[]): Elevation | undefined {
  const values = samples.map(([, v]) => v).filter(Number.isFinite);
  if (values.length < 10) return undefined;
  const baseline = median(values);
  const spread = MAD_TO_SIGMA * medianAbsoluteDeviation(values);
  const scale = Math.abs(baseline);
  // The absolute floor keeps a flat series at 0 (restarts) from calling the smallest change a rise.
  const high = baseline + Math.max(6 * spread, 0.5 * scale, 1e-6);
  const low = baseline + Math.max(3 * spread, 0.15 * scale, 1e-6);
  const episodes: Episode[] = [];
  let open: { startMs: number; peak: number } | undefined;
  let lastQuiet: number | undefined;
  // A rise already under way when the history starts, or still under way when it ends, has an unknown
  // start or end: it is left out rather than counted with made-up bounds.
  for (const [ms, value] of samples) {
    if (!Number.isFinite(value)) continue;
    if (value > low) {
      if (open) open.peak = Math.max(open.peak, value);
      else if (lastQuiet !== undefined) open = { startMs: lastQuiet, peak: value };
      continue;
    }
    if (open && open.peak > high) episodes.push({ startMs: open.startMs, endMs: ms, peak: open.peak });
    open = undefined;
    lastQuiet = ms;
  }
  return { baseline, episodes };
}
