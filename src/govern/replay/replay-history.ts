import type { EpisodeFacts, ReplayEpisode } from './replay-types.ts';

export interface ReplayPeriod {
  readonly sinceMs: number;
  readonly untilMs: number;
}

export type EpisodesResult =
  | { readonly ok: true; readonly episodes: readonly ReplayEpisode[] }
  | { readonly ok: false; readonly error: string };

/** Where a replay reads the past from: Prometheus (every alert it evaluated) or Belay's own audit trail. */
export interface ReplayHistory {
  readonly source: 'prometheus' | 'audit';
  /** Where, for the report: `Prometheus at http://…`, `the audit log in .belay/audit`. */
  readonly origin: string;
  episodes(period: ReplayPeriod): Promise<EpisodesResult>;
  factsAt(episode: ReplayEpisode): Promise<EpisodeFacts>;
  /** What this source can never rebuild, said once in the report. */
  readonly assumptions: readonly string[];
}
