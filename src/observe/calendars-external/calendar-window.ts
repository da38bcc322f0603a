import type { Facts, SelectorSubject } from '../../domain/index.ts';
import type { CalendarWindow } from '../calendar/index.ts';

export type CalendarProblem = Facts['calendarProblems'][number];

/** What an external calendar says about one target: its windows, or why it could not say. */
export interface ExternalWindows {
  readonly windows: CalendarWindow[];
  readonly problems: CalendarProblem[];
}

export interface ExternalCalendar {
  windowsFor(subject: SelectorSubject): Promise<ExternalWindows>;
}
