import type { Facts, Labels, SelectorSubject } from '../../domain/index.ts';
import type { CalendarWindow } from '../calendar/index.ts';

export type CalendarProblem = Facts['calendarProblems'][number];

/** What an external calendar says about one target: its windows, or why it could not say. */
export interface ExternalWindows {
  readonly windows: CalendarWindow[];
  readonly problems: CalendarProblem[];
}

export interface ExternalCalendar {
  /**
   * `labelSets` are the labels alerts about the target carry (see silenceLabelSets): what a calendar that
   * speaks alert labels, like Alertmanager's silences, matches against.
   */
  windowsFor(subject: SelectorSubject, labelSets: readonly Labels[]): Promise<ExternalWindows>;
}
