import { z } from 'zod';
import { type Alert, alertSchema } from '../../domain/index.ts';
import { normaliseInstant } from './alertmanager-webhook.ts';
import {
  incidentAlertFields,
  type PagerDutyServiceLabels,
  pagerDutyIncidentSchema,
} from './pagerduty-incident.ts';

export interface PagerDutyIncidentReaderOptions {
  readonly token: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly timeoutMs?: number;
  readonly serviceLabels?: PagerDutyServiceLabels;
}

export type EnrichResult = { readonly alert: Alert; readonly problem?: string };

/**
 * Completes an alert read from a PagerDuty Slack message (which reliably carries only the incident link)
 * with the incident itself from the REST API: title, service, status. When PagerDuty cannot be read the
 * alert is returned as it was, with the reason, so the message is still answered.
 */
export function createPagerDutyIncidentReader(options: PagerDutyIncidentReaderOptions) {
  const base = (options.baseUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 3_000;
  return {
    async enrich(alert: Alert): Promise<EnrichResult> {
      const id = alert.labels.pagerduty_incident_id;
      if (!id) return { alert, problem: 'the alert names no PagerDuty incident' };
      let body: unknown;
      try {
        const response = await fetch(`${base}/incidents/${encodeURIComponent(id)}`, {
          headers: {
            authorization: `Token token=${options.token}`,
            accept: 'application/vnd.pagerduty+json;version=2',
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) {
          await response.body?.cancel();
          return { alert, problem: `PagerDuty answered HTTP ${response.status} for incident ${id}` };
        }
        body = await response.json();
      } catch (error) {
        const reason =
          (error as Error).name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : (error as Error).message;
        return { alert, problem: `could not read PagerDuty incident ${id}: ${reason}` };
      }
      const parsed = z.looseObject({ incident: pagerDutyIncidentSchema }).safeParse(body);
      if (!parsed.success)
        return { alert, problem: `PagerDuty's answer for incident ${id} is not an incident` };
      const fields = incidentAlertFields(parsed.data.incident, options.serviceLabels ?? {});
      const createdAt = parsed.data.incident.created_at
        ? normaliseInstant(parsed.data.incident.created_at)
        : undefined;
      const previous: Partial<Alert> = { ...alert };
      delete previous.endsAt;
      const enriched = alertSchema.safeParse({
        ...previous,
        ...fields,
        labels: { ...alert.labels, ...fields.labels },
        ...(createdAt ? { startsAt: createdAt } : {}),
        ...(fields.status === 'resolved'
          ? { endsAt: alert.endsAt ?? alert.receivedAt }
          : { endsAt: undefined }),
      });
      if (!enriched.success) return { alert, problem: `PagerDuty incident ${id} did not make a valid alert` };
      return { alert: enriched.data };
    },
  };
}
