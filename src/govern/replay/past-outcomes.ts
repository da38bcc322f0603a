import { classifyOutcome } from '../../decide/index.ts';
import type { ActionOutcome, OutcomeSettings } from '../../domain/index.ts';
import { outcomeLine } from '../outcome-words.ts';
import type { PastOutcome, ReplayEpisode } from './replay-types.ts';

// The labels that say which target an alert is about; an outcome belongs to an episode only when they agree.
const TARGET_LABELS = ['cluster', 'namespace', 'pod', 'deployment', 'statefulset', 'daemonset', 'job_name'];

/**
 * What really happened, for replay: the action Belay ran on this alert during the episode, judged by the same
 * classifier and words as the thread's outcome lines. Undefined when Belay ran nothing then.
 */
export function pastOutcomesFrom(
  outcomes: () => readonly ActionOutcome[],
  settings: OutcomeSettings,
  now: () => Date,
): (episode: ReplayEpisode) => PastOutcome | undefined {
  return (episode) => {
    const ran = outcomes().find((o) => sameEpisode(o, episode));
    if (!ran) return undefined;
    const executedAt = new Date(ran.executedAt);
    const result = classifyOutcome({ executedAt, observations: ran.observations, now: now(), settings });
    const at = `${ran.executedAt.slice(0, 16).replace('T', ' ')} UTC`;
    const line = outcomeLine(ran, result, settings) ?? 'its outcome is not known yet.';
    return {
      summary: `Belay ran ${ran.actionWords} at ${at}. ${line}${ran.reverted ? ' It was reverted.' : ''}`,
    };
  };
}

function sameEpisode(outcome: ActionOutcome, episode: ReplayEpisode): boolean {
  if (outcome.alert.name !== episode.alert.name) return false;
  const ran = Date.parse(outcome.executedAt);
  if (ran < episode.startMs || (episode.endMs !== undefined && ran > episode.endMs)) return false;
  return TARGET_LABELS.every((label) => {
    const theirs = outcome.alert.labels[label];
    const ours = episode.alert.labels[label];
    return theirs === undefined || ours === undefined || theirs === ours;
  });
}
