import { z } from 'zod';
import type { Alert } from '../../domain/index.ts';
import { alertSchema, formatDuration } from '../../domain/index.ts';
import { normaliseInstant } from './alertmanager-webhook.ts';
import { describeZodError } from './describe-zod-error.ts';
import {
  incidentAlertFields,
  type PagerDutyServiceLabels,
  pagerDutyIncidentSchema,
} from './pagerduty-incident.ts';
import type { ParseResult } from './parse-result.ts';

export type { PagerDutyServiceLabels } from './pagerduty-incident.ts';

const instant = z.iso.datetime({ offset: true });
// protocols.md §3.1: one event per POST.
export const pagerDutyWebhookSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(256),
    event_type: z.string().min(1).max(256),
    resource_type: z.string().max(256),
    occurred_at: instant,
    data: z.looseObject({ type: z.string().max(256) }),
  }),
});

/** What one PagerDuty delivery means for Belay: an alert, or a known event it deliberately ignores. */
export type PagerDutyEvent = (
  | { readonly kind: 'alert'; readonly alert: Alert }
  | { readonly kind: 'ignored'; readonly reason: string }
) & {
  /** `event.id`: inside the signed body, so the dedupe key cannot be changed by whoever replays it. */
  readonly eventId: string;
  readonly occurredAt: string;
};

export const DEFAULT_PAGERDUTY_MAX_EVENT_AGE_MS = 3_600_000;

/**
 * Why an event is too old to act on, or undefined. The signature has no timestamp, so a captured delivery
 * could be replayed forever; refusing old events bounds that (PagerDuty's own retries come within minutes).
 */
export function staleEventError(event: PagerDutyEvent, now: Date, maxAgeMs: number): string | undefined {
  const ageMs = now.getTime() - Date.parse(event.occurredAt);
  if (ageMs <= maxAgeMs) return undefined;
  return `event ${event.eventId} occurred at ${event.occurredAt}, ${formatDuration(ageMs)} ago, older than intake.pagerduty.maxEventAge (${formatDuration(maxAgeMs)}); refused as a possible replay. If Belay was down that long, check the incident in PagerDuty by hand.`;
}

/** PagerDuty Webhooks V3 body (already JSON-parsed and signature-checked) → an Alert about the incident. */
export function parsePagerDutyWebhook(
  body: unknown,
  receivedAt: Date,
  serviceLabels: PagerDutyServiceLabels = {},
): ParseResult<PagerDutyEvent> {
  const parsed = pagerDutyWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
  const { event } = parsed.data;
  if (!event.event_type.startsWith('incident.') || event.data.type !== 'incident') {
    // pagey.ping, notes, service changes: valid deliveries with nothing to correlate.
    const occurredAt = normaliseInstant(event.occurred_at);
    if (!occurredAt) return { ok: false, error: 'event.occurred_at: not a real date' };
    return {
      ok: true,
      value: {
        kind: 'ignored',
        eventId: event.id,
        occurredAt,
        reason: `${event.event_type} is not about an incident's state`,
      },
    };
  }
  const data = pagerDutyIncidentSchema.safeParse(event.data);
  if (!data.success) {
    return { ok: false, error: describeZodError(data.error, ['event', 'data']) };
  }
  const incident = data.data;
  const occurredAt = normaliseInstant(event.occurred_at);
  const createdAt = incident.created_at ? normaliseInstant(incident.created_at) : occurredAt;
  if (!occurredAt || !createdAt) return { ok: false, error: 'event.occurred_at: not a real date' };
  const fields = incidentAlertFields(incident, serviceLabels);
  const alert = alertSchema.safeParse({
    source: 'pagerduty',
    ...fields,
    startsAt: createdAt,
    ...(fields.status === 'resolved' ? { endsAt: occurredAt } : {}),
    receivedAt: receivedAt.toISOString(),
  });
  if (!alert.success)
    return { ok: false, error: describeZodError(alert.error, ['event', 'data', '(as alert)']) };
  return { ok: true, value: { kind: 'alert', eventId: event.id, occurredAt, alert: alert.data } };
}
