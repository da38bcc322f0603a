export { type Elevation, type Episode, elevatedEpisodes, type Sample } from './elevated-episodes.ts';
export {
  type CronJobRuns,
  DEFAULT_PATTERN_TUNING,
  type FindPatternsInput,
  findRecurringPatterns,
  type PatternSeries,
  type PatternTuning,
} from './find-recurring-patterns.ts';
export {
  type PatternPeriod,
  type PatternReading,
  type PatternScope,
  readRecurringPatterns,
} from './read-recurring-patterns.ts';
