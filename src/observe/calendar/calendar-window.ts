import { type WindowTiming, windowTiming } from '../../config/window-timing.ts';
import type { Selector, WindowDefinition, WindowOccurrence } from '../../domain/index.ts';

/** When a window is open; config/ owns it so that loadConfig judges schedules as the calendar computes them. */
export type CalendarTiming = WindowTiming;

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
  return {
    name: def.name,
    kind: def.kind,
    selector: def.selector,
    blocks: def.blocks,
    source: { type: 'config', ref: `belay.yaml windows/${def.name}` },
    timing: windowTiming(def),
  };
}
