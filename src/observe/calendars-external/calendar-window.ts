import type { ActionKind, Facts, Selector, SelectorSubject, WindowOccurrence } from '../../domain/index.ts';

/**
 * A window as the calendar module (src/observe/calendar/) defines it; declared here with the same shape
 * until that module lands, so the two are interchangeable structurally.
 */
export interface CalendarWindow {
  readonly name: string;
  readonly kind: WindowOccurrence['kind'];
  readonly timing:
    | {
        readonly type: 'recurring';
        readonly schedule: string;
        readonly timezone: string;
        readonly durationMs: number;
      }
    | { readonly type: 'one-off'; readonly from: string; readonly to: string };
  readonly selector: Selector;
  readonly blocks: 'all' | readonly ActionKind[];
  readonly source: WindowOccurrence['source'];
}

export type CalendarProblem = Facts['calendarProblems'][number];

/** What an external calendar says about one target: its windows, or why it could not say. */
export interface ExternalWindows {
  readonly windows: CalendarWindow[];
  readonly problems: CalendarProblem[];
}

export interface ExternalCalendar {
  windowsFor(subject: SelectorSubject): Promise<ExternalWindows>;
}
