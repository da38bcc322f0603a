import { z } from 'zod';
import type { Alert } from '../../domain/index.ts';
import { alertSchema } from '../../domain/index.ts';
import { normaliseInstant } from './alertmanager-webhook.ts';
import { describeZodError } from './describe-zod-error.ts';
import type { ParseResult } from './parse-result.ts';

const instant = z.iso.datetime({ offset: true });
const reference = z.looseObject({
  id: z.string().min(1).max(256),
  summary: z.string().max(1_024).optional(),
});

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

const incidentDataSchema = z.looseObject({
  id: z.string().min(1).max(256),
  type: z.literal('incident'),
  title: z.string().max(16_384),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  html_url: z.string().max(2_048).optional(),
  number: z.number().int().optional(),
  created_at: instant.optional(),
  urgency: z.string().max(64).optional(),
  incident_key: z.string().max(1_024).nullable().optional(),
  service: reference.optional(),
});

/** What one PagerDuty delivery means for Belay: an alert, or a known event it deliberately ignores. */
export type PagerDutyEvent =
  | { readonly kind: 'alert'; readonly eventId: string; readonly alert: Alert }
  | { readonly kind: 'ignored'; readonly eventId: string; readonly reason: string };

/** PagerDuty Webhooks V3 body (already JSON-parsed and signature-checked) → an Alert about the incident. */
export function parsePagerDutyWebhook(body: unknown, receivedAt: Date): ParseResult<PagerDutyEvent> {
  const parsed = pagerDutyWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
  const { event } = parsed.data;
  if (!event.event_type.startsWith('incident.') || event.data.type !== 'incident') {
    // pagey.ping, notes, service changes: valid deliveries with nothing to correlate.
    return {
      ok: true,
      value: {
        kind: 'ignored',
        eventId: event.id,
        reason: `${event.event_type} is not about an incident's state`,
      },
    };
  }
  const data = incidentDataSchema.safeParse(event.data);
  if (!data.success) {
    return { ok: false, error: describeZodError(data.error, ['event', 'data']) };
  }
  const incident = data.data;
  const occurredAt = normaliseInstant(event.occurred_at);
  const createdAt = incident.created_at ? normaliseInstant(incident.created_at) : occurredAt;
  if (!occurredAt || !createdAt) return { ok: false, error: 'event.occurred_at: not a real date' };
  const labels: Record<string, string> = { pagerduty_incident_id: incident.id };
  if (incident.service) labels.pagerduty_service_id = incident.service.id;
  if (incident.service?.summary) labels.pagerduty_service = incident.service.summary;
  if (incident.urgency) labels.urgency = incident.urgency;
  if (incident.number !== undefined) labels.pagerduty_incident_number = String(incident.number);
  const resolved = incident.status === 'resolved';
  const alert = alertSchema.safeParse({
    source: 'pagerduty',
    // The incident id, so every event about one incident (and its Slack message) is the same alert.
    fingerprint: incident.id,
    status: resolved ? 'resolved' : 'firing',
    name: incident.title.slice(0, 256) || `PagerDuty incident ${incident.id}`,
    labels,
    annotations: { summary: incident.title, pagerduty_status: incident.status },
    startsAt: createdAt,
    ...(resolved ? { endsAt: occurredAt } : {}),
    receivedAt: receivedAt.toISOString(),
    ...(incident.html_url ? { url: incident.html_url } : {}),
  });
  if (!alert.success)
    return { ok: false, error: describeZodError(alert.error, ['event', 'data', '(as alert)']) };
  return { ok: true, value: { kind: 'alert', eventId: event.id, alert: alert.data } };
}
