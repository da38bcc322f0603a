import type { Config } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import {
  createAlertmanagerSilences,
  createPagerDutyMaintenance,
  type ExternalCalendar,
} from '../observe/calendars-external/index.ts';

/** The calendars outside the cluster the config names: Alertmanager silences, PagerDuty maintenance. */
export function externalCalendars(
  config: Config,
  pagerdutyToken: string | undefined,
  clock: Clock,
): ExternalCalendar[] {
  const calendars: ExternalCalendar[] = [];
  const {
    failClosed,
    alertmanagerSilences: silences,
    pagerdutyMaintenance: maintenance,
  } = config.intake.calendars;
  if (silences) {
    calendars.push(
      createAlertmanagerSilences({
        url: silences.url,
        clock,
        timeoutMs: silences.timeout,
        cacheMs: silences.cache,
        failClosed: silences.failClosed ?? failClosed,
      }),
    );
  }
  if (maintenance && pagerdutyToken) {
    calendars.push(
      createPagerDutyMaintenance({
        token: pagerdutyToken,
        services: maintenance.services,
        clock,
        ...(config.intake.pagerduty?.apiUrl ? { baseUrl: config.intake.pagerduty.apiUrl } : {}),
        timeoutMs: maintenance.timeout,
        cacheMs: maintenance.cache,
        failClosed: maintenance.failClosed ?? failClosed,
      }),
    );
  }
  return calendars;
}
