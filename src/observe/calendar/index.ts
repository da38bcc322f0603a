export { type CalendarTiming, type CalendarWindow, windowFromDefinition } from './calendar-window.ts';
export {
  coveringUntil,
  nextOccurrences,
  occurrencesAt,
  occurrencesOpening,
} from './occurrences.ts';
export { CalendarTimingError } from './recurring-series.ts';
export { subjectOfFacts, targetWindows } from './target-windows.ts';
export { type WindowStatus, windowStatusAt } from './window-status-at.ts';
