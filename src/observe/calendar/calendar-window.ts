import type { Selector, WindowDefinition, WindowOccurrence } from '../../domain/index.ts';

/** When a window is open: a cron schedule read in a time zone, open for an absolute duration; or one range. */
export type CalendarTiming =
  | {
      readonly type: 'recurring';
      /** Cron expression (5 fields, or 6 with seconds first) read as wall-clock time in `timezone`. */
      readonly schedule: string;
      /** IANA time zone name. */
      readonly timezone: string;
      /** Elapsed time from each start: 45m is 45 real minutes even when the clocks change meanwhile. */
      readonly durationMs: number;
    }
  | { readonly type: 'one-off'; readonly from: Date; readonly to: Date };

/**
 * A window whatever its source: the config file, a backup CronJob found in the cluster, an Alertmanager
 * silence, a PagerDuty maintenance window. The calendar turns these into occurrences for one target.
 */
export interface CalendarWindow {
  readonly name: string;
  readonly kind: WindowOccurrence['kind'];
  readonly timing: CalendarTiming;
  readonly selector: Selector;
  readonly blocks: WindowOccurrence['blocks'];
  readonly source: WindowOccurrence['source'];
  /** The backup Job the window stands for, when it comes from one seen running in the cluster. */
  readonly job?: WindowOccurrence['job'];
}

/** A window from belay.yaml, already parsed by windowDefinitionSchema. */
export function windowFromDefinition(def: WindowDefinition): CalendarWindow {
  const base = {
    name: def.name,
    kind: def.kind,
    selector: def.selector,
    blocks: def.blocks,
    source: { type: 'config', ref: `belay.yaml windows/${def.name}` },
  } as const;
  if (def.schedule !== undefined && def.duration !== undefined) {
    return {
      ...base,
      timing: { type: 'recurring', schedule: def.schedule, timezone: def.timezone, durationMs: def.duration },
    };
  }
  if (def.from !== undefined && def.to !== undefined) {
    return { ...base, timing: { type: 'one-off', from: new Date(def.from), to: new Date(def.to) } };
  }
  throw new TypeError(
    `window "${def.name}" has neither schedule + duration nor from + to; parse it with windowDefinitionSchema first`,
  );
}
