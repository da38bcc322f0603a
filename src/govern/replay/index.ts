export { type AuditHistoryDeps, auditEpisodes, auditHistory } from './audit-history.ts';
export { pastOutcomesFrom } from './past-outcomes.ts';
export { type PrometheusHistoryDeps, prometheusHistory } from './prometheus-history.ts';
export type { EpisodesResult, ReplayHistory, ReplayPeriod } from './replay-history.ts';
export type { NearMiss, ReplaySummary, RuleReplay } from './replay-report.ts';
export type {
  BlockKind,
  PastOutcome,
  PatternFlag,
  ReplayDecision,
  ReplayEpisode,
  ReplayedEpisode,
} from './replay-types.ts';
export { type ReplayAsk, replayUseCase, ruleReplaySummary, withReplay } from './replay-use-case.ts';
export {
  type PatternsAnswer,
  type ReplayReport,
  type ReplayRequest,
  type ReplayResult,
  type RunReplayDeps,
  runReplay,
} from './run-replay.ts';
