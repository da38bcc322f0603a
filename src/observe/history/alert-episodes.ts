import type { MatrixData } from '../prometheus/prometheus-response.ts';

/** One stretch of time an alert series was firing, as Prometheus's ALERTS series records it. */
export interface AlertEpisode {
  /** The alert's labels, `alertname` included; `__name__` and `alertstate` dropped. */
  readonly labels: Readonly<Record<string, string>>;
  readonly startMs: number;
  /** When it stopped firing; undefined when it was still firing at the end of the period. */
  readonly endMs?: number;
}

/**
 * The firing episodes in a range query of `ALERTS{alertstate="firing"}`, earliest first. Consecutive samples
 * one step apart are one episode; a gap longer than a step ends it (the alert resolved, or Prometheus lost
 * it). An episode still firing at the last evaluated instant has no end.
 */
export function alertEpisodes(data: MatrixData, stepMs: number, untilMs: number): AlertEpisode[] {
  const episodes: AlertEpisode[] = [];
  for (const series of data.result) {
    const { __name__: _name, alertstate: _state, ...labels } = series.metric;
    let startMs: number | undefined;
    let lastMs = Number.NEGATIVE_INFINITY;
    const close = () => {
      if (startMs === undefined) return;
      const endMs = lastMs + stepMs;
      episodes.push({ labels, startMs, ...(endMs <= untilMs ? { endMs } : {}) });
    };
    for (const [seconds] of series.values) {
      const t = Math.round(seconds * 1_000);
      // Half a step of slack: Prometheus evaluates at start + k·step, but a rounding of the float is not a gap.
      if (startMs !== undefined && t - lastMs > stepMs * 1.5) {
        close();
        startMs = undefined;
      }
      if (startMs === undefined) startMs = t;
      lastMs = t;
    }
    close();
  }
  return episodes.sort((a, b) => a.startMs - b.startMs || labelKey(a).localeCompare(labelKey(b)));
}

/** A stable text of an episode's labels, for ordering and fingerprints. */
export function labelKey(episode: Pick<AlertEpisode, 'labels'>): string {
  return Object.entries(episode.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}
