import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { type AlertEpisode, alertEpisodes } from './alert-episodes.ts';

/** Prometheus answers at most 11,000 points per series in one range query; stay below it. */
const MAX_POINTS = 10_999;
const MIN_STEP_MS = 60_000;

/** The resolution a period is read at: a minute, or coarser when a minute would be too many points. */
export function historyStepMs(sinceMs: number, untilMs: number): number {
  const needed = Math.ceil((untilMs - sinceMs) / MAX_POINTS / 1_000) * 1_000;
  return Math.max(MIN_STEP_MS, needed);
}

export type EpisodesAnswer =
  | { readonly ok: true; readonly episodes: AlertEpisode[]; readonly stepMs: number }
  | { readonly ok: false; readonly error: string };

/**
 * Every firing episode of every alert Prometheus evaluated in [sinceMs, untilMs], from its ALERTS series:
 * the alerts as Prometheus raised them, whether or not they reached Belay.
 */
export async function readAlertEpisodes(
  client: PrometheusClient,
  period: { readonly sinceMs: number; readonly untilMs: number },
): Promise<EpisodesAnswer> {
  const stepMs = historyStepMs(period.sinceMs, period.untilMs);
  const answer = await client.range('ALERTS{alertstate="firing"}', {
    start: new Date(period.sinceMs),
    end: new Date(period.untilMs),
    stepSeconds: stepMs / 1_000,
  });
  if (!answer.ok) return { ok: false, error: answer.error };
  if (answer.data.resultType !== 'matrix') {
    return {
      ok: false,
      error: `Prometheus at ${client.origin} answered the ALERTS history with a ${answer.data.resultType}, not a range of samples; is it Prometheus's query API?`,
    };
  }
  return { ok: true, episodes: alertEpisodes(answer.data, stepMs, period.untilMs), stepMs };
}
