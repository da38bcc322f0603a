import type { ActionKind, Selector, SelectorSubject, WindowOccurrence } from '../../domain/index.ts';

// The calendar module (src/observe/calendar/, written in parallel) owns these shapes and the cron maths;
// they are declared here structurally so this module compiles on its own and takes the real
// `occurrencesAt` as an injected function. At merge, import them from ../calendar/index.ts instead.

export type WindowTiming =
  | {
      readonly type: 'recurring';
      readonly schedule: string;
      readonly timezone: string;
      readonly durationMs: number;
    }
  | { readonly type: 'one-off'; readonly from: string; readonly to: string };

export interface CalendarWindow {
  readonly name: string;
  readonly kind: 'maintenance' | 'backup' | 'freeze';
  readonly timing: WindowTiming;
  readonly selector: Selector;
  readonly blocks: 'all' | readonly ActionKind[];
  readonly source: WindowOccurrence['source'];
}

/** Which windows cover (or are about to cover) `subject` at `at`. */
export type OccurrencesAt = (
  windows: readonly CalendarWindow[],
  subject: SelectorSubject,
  at: Date,
) => WindowOccurrence[];
