export { type AlertmanagerSilencesOptions, createAlertmanagerSilences } from './alertmanager-silences.ts';
export type { CalendarProblem, ExternalCalendar, ExternalWindows } from './calendar-window.ts';
export { createPagerDutyMaintenance, type PagerDutyMaintenanceOptions } from './pagerduty-maintenance.ts';
export { type SilenceSubject, silenceLabelSets } from './silence-label-sets.ts';
