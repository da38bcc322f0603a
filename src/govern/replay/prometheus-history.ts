import { createHash } from 'node:crypto';
import type { Alert } from '../../domain/index.ts';
import { type AlertEpisode, labelKey, readAlertEpisodes } from '../../observe/history/index.ts';
import { type PrometheusEpisodeFactsDeps, prometheusEpisodeFacts } from './prometheus-episode-facts.ts';
import type { ReplayHistory } from './replay-history.ts';
import type { ReplayEpisode } from './replay-types.ts';

export type PrometheusHistoryDeps = PrometheusEpisodeFactsDeps;

/** The past as Prometheus recorded it: ALERTS for the alerts, kube-state-metrics and cAdvisor for the facts. */
export function prometheusHistory(deps: PrometheusHistoryDeps): ReplayHistory {
  return {
    source: 'prometheus',
    origin: `Prometheus at ${deps.client.origin}`,
    async episodes(period) {
      const answer = await readAlertEpisodes(deps.client, period);
      if (!answer.ok) return answer;
      return { ok: true, episodes: answer.episodes.flatMap((e) => episodeAlert(e)) };
    },
    factsAt: prometheusEpisodeFacts(deps),
    assumptions: [
      'Alerts are read from Prometheus (ALERTS{alertstate="firing"}): every alert its rules raised, whether or not Alertmanager routed it to Belay.',
      'Each alert is decided when it started firing, as Belay decides when it arrives.',
      'Every action the policy would have allowed (or put before a human) is assumed to have run, and fills the rate ledger for the alerts after it; the history after it shows what really happened, not what the action would have changed.',
    ],
  };
}

/** The alert Belay would have received for an episode, as Alertmanager would have sent it. */
function episodeAlert(episode: AlertEpisode): ReplayEpisode[] {
  const name = episode.labels.alertname;
  if (!name) return [];
  const startsAt = new Date(episode.startMs).toISOString();
  const alert: Alert = {
    source: 'alertmanager',
    fingerprint: createHash('sha256').update(labelKey(episode)).digest('hex').slice(0, 16),
    status: 'firing',
    name,
    labels: { ...episode.labels },
    annotations: {},
    startsAt,
    receivedAt: startsAt,
  };
  return [
    { alert, startMs: episode.startMs, ...(episode.endMs !== undefined ? { endMs: episode.endMs } : {}) },
  ];
}
