import { z } from 'zod';
import { type Alert, labelsSchema } from '../../domain/index.ts';
import { describeZodError } from './describe-zod-error.ts';
import type { ParseResult } from './parse-result.ts';

const instant = z.iso.datetime({ offset: true });

// protocols.md §1.1. Loose objects: older Alertmanagers lack notification_reason/routeLabels and newer ones
// add fields; the fields Belay reads are strict.
const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelsSchema,
  annotations: labelsSchema.default({}),
  startsAt: instant,
  endsAt: instant.optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(256),
});

export const alertmanagerWebhookSchema = z.looseObject({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().max(16_384),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelsSchema.default({}),
  commonLabels: labelsSchema.default({}),
  commonAnnotations: labelsSchema.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(webhookAlertSchema).min(1).max(10_000),
});
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/** Alertmanager webhook v4 body (already JSON-parsed) → Alerts, one per entry of `alerts[]`. */
export function parseAlertmanagerWebhook(body: unknown, receivedAt: Date): ParseResult<Alert[]> {
  const parsed = alertmanagerWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
  const received = receivedAt.toISOString();
  const alerts: Alert[] = [];
  for (const [i, a] of parsed.data.alerts.entries()) {
    const startsAt = normaliseInstant(a.startsAt);
    const endsAt = a.endsAt === undefined ? undefined : normaliseInstant(a.endsAt);
    if (startsAt === undefined) return { ok: false, error: `alerts[${i}].startsAt: not a real date` };
    if (a.endsAt !== undefined && endsAt === undefined)
      return { ok: false, error: `alerts[${i}].endsAt: not a real date` };
    // Every field was validated above with the Alert schema's own constraints (labelsSchema, the
    // fingerprint's bounds), so building the Alert directly skips a second validation pass per alert —
    // it is on the acknowledgement path of every delivery.
    alerts.push({
      source: 'alertmanager',
      fingerprint: a.fingerprint,
      status: a.status,
      name: (a.labels.alertname ?? '').slice(0, 256) || 'unnamed alert',
      labels: a.labels,
      annotations: a.annotations,
      startsAt,
      // A firing alert's endsAt is only a future expiry (protocols.md §1.1); it means "ended" only once resolved.
      ...(a.status === 'resolved' && endsAt ? { endsAt } : {}),
      receivedAt: received,
      ...(a.generatorURL && a.generatorURL.length <= 2_048 ? { url: a.generatorURL } : {}),
    });
  }
  return { ok: true, value: alerts };
}

/** RFC 3339 with any offset and nanoseconds (Go's format) → `toISOString()`; undefined for 2025-02-30. */
export function normaliseInstant(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
