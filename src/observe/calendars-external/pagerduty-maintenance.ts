import { z } from 'zod';
import {
  type Clock,
  type Selector,
  type SelectorSubject,
  selectorMatches,
  type WindowOccurrence,
} from '../../domain/index.ts';
import type { CalendarWindow } from '../calendar/index.ts';
import { createCachedJson, type Fetched } from './cached-fetch.ts';
import type { CalendarProblem, ExternalCalendar, ExternalWindows } from './calendar-window.ts';

// protocols.md §3.3: GET /maintenance_windows?filter=ongoing&service_ids[]=…
const maintenanceSchema = z.looseObject({
  maintenance_windows: z.array(
    z.looseObject({
      id: z.string().min(1),
      summary: z.string().nullable().optional(),
      description: z.string().nullable().optional(),
      start_time: z.string(),
      end_time: z.string(),
      services: z.array(z.looseObject({ id: z.string() })).default([]),
    }),
  ),
});
type Maintenance = z.infer<typeof maintenanceSchema>['maintenance_windows'][number];

export interface PagerDutyMaintenanceOptions {
  readonly token: string;
  /** Which PagerDuty service covers which targets. */
  readonly services: readonly { readonly id: string; readonly selector: Selector }[];
  readonly clock: Clock;
  readonly baseUrl?: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  readonly failClosed?: boolean;
  readonly kind?: WindowOccurrence['kind'];
}

/** Ongoing PagerDuty maintenance windows of the services that cover a target, as windows for it. */
export function createPagerDutyMaintenance(options: PagerDutyMaintenanceOptions): ExternalCalendar {
  const base = (options.baseUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
  const failClosed = options.failClosed ?? true;
  const read = createCachedJson<Maintenance[]>({
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock,
    timeoutMs: options.timeoutMs ?? 2_000,
    cacheMs: options.cacheMs ?? 60_000,
    parse: (body): Fetched<Maintenance[]> => {
      const parsed = maintenanceSchema.safeParse(body);
      return parsed.success
        ? { ok: true, value: parsed.data.maintenance_windows }
        : { ok: false, error: 'the answer was not a list of maintenance windows' };
    },
  });
  const headers = {
    authorization: `Token token=${options.token}`,
    accept: 'application/vnd.pagerduty+json;version=2',
  };

  return {
    async windowsFor(subject: SelectorSubject): Promise<ExternalWindows> {
      const windows: CalendarWindow[] = [];
      const problems: CalendarProblem[] = [];
      const now = options.clock.now().getTime();
      for (const service of options.services.filter((s) => selectorMatches(s.selector, subject))) {
        const url = `${base}/maintenance_windows?filter=ongoing&service_ids%5B%5D=${encodeURIComponent(service.id)}`;
        const result = await read(url, headers);
        if (!result.ok) {
          problems.push({
            source: `PagerDuty maintenance of service ${service.id}`,
            message: result.error,
            failClosed,
          });
          continue;
        }
        for (const mw of result.value) {
          const from = Date.parse(mw.start_time);
          const to = Date.parse(mw.end_time);
          if (!(from <= now && now < to) || !mw.services.some((s) => s.id === service.id)) continue;
          windows.push({
            name: (mw.summary || mw.description || 'PagerDuty maintenance').slice(0, 200),
            kind: options.kind ?? 'maintenance',
            timing: { type: 'one-off', from: new Date(from), to: new Date(to) },
            selector: service.selector,
            blocks: 'all',
            source: { type: 'pagerduty', ref: mw.id },
          });
        }
      }
      return { windows, problems };
    },
  };
}
