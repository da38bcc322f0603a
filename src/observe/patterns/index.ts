export { type Elevation, type Episode, elevatedEpisodes, type Sample } from './elevated-episodes.ts';
export {
  type CronJobRuns,
  DEFAULT_PATTERN_TUNING,
  type FindPatternsInput,
  findRecurringPatterns,
  type PatternSeries,
  type PatternTuning,
} from './find-recurring-patterns.ts';
export { createPatternCache, type PatternCache } from './pattern-cache.ts';
export { patternCaution } from './pattern-caution.ts';
export { subjectOfPattern, windowsCoveringPattern } from './pattern-coverage.ts';
export {
  type PatternPeriod,
  type PatternReading,
  type PatternScope,
  readRecurringPatterns,
} from './read-recurring-patterns.ts';
