export { type AlertEpisode, alertEpisodes, labelKey } from './alert-episodes.ts';
export { type PodHistory, podHistory, type RunningJob } from './pod-history.ts';
export { type EpisodesAnswer, historyStepMs, readAlertEpisodes } from './read-alert-episodes.ts';
