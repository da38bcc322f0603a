import { describeSuggestedWindow, type Facts, patternCoversAt, type Reason } from '../domain/index.ts';

/**
 * Invariant 8: a pattern that repeats every night is a caution until someone names it. When the target is,
 * at `now`, inside a recurring pattern no window covers, nothing runs on its own and the humans are told
 * that this looks expected, with the window that would say so.
 */
export function recurringPatternReasons(facts: Facts, now: Date): Reason[] {
  const caution = facts.recurringPattern;
  if (!caution || !patternCoversAt(caution.pattern, now.getTime())) return [];
  return [
    {
      rule: `pattern:${caution.suggestedWindow.name}`,
      effect: 'suggest',
      message: `${caution.description}: this looks expected. Consider a window: ${describeSuggestedWindow(caution.suggestedWindow)}. Until one covers it, Belay does not act on its own here.`,
    },
  ];
}
