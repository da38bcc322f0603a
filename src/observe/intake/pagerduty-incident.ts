import { z } from 'zod';
import type { Alert } from '../../domain/index.ts';

const instant = z.iso.datetime({ offset: true });
const reference = z.looseObject({
  id: z.string().min(1).max(256),
  summary: z.string().max(1_024).optional(),
});

/** A PagerDuty incident as Webhooks V3 `data` and REST `GET /incidents/{id}` both give it (protocols.md §3). */
export const pagerDutyIncidentSchema = z.looseObject({
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
export type PagerDutyIncident = z.infer<typeof pagerDutyIncidentSchema>;

/**
 * Labels for the alerts of each PagerDuty service id, chiefly `cluster` and `namespace` (and a workload
 * label such as `deployment`): a PagerDuty incident names a service, not a place in a cluster, and without
 * them correlation cannot tell which workload the incident is about.
 */
export type PagerDutyServiceLabels = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What an incident says about its alert, whichever way it reached Belay. */
export function incidentAlertFields(
  incident: PagerDutyIncident,
  serviceLabels: PagerDutyServiceLabels,
): Pick<Alert, 'fingerprint' | 'status' | 'name' | 'labels' | 'annotations'> & { url?: string } {
  const labels: Record<string, string> = {
    ...(incident.service ? serviceLabels[incident.service.id] : undefined),
    pagerduty_incident_id: incident.id,
  };
  if (incident.service) labels.pagerduty_service_id = incident.service.id;
  if (incident.service?.summary) labels.pagerduty_service = incident.service.summary;
  if (incident.urgency) labels.urgency = incident.urgency;
  if (incident.number !== undefined) labels.pagerduty_incident_number = String(incident.number);
  return {
    // The incident id, so every event about one incident (and its Slack message) is the same alert.
    fingerprint: incident.id,
    status: incident.status === 'resolved' ? 'resolved' : 'firing',
    name: incident.title.slice(0, 256) || `PagerDuty incident ${incident.id}`,
    labels,
    annotations: { summary: incident.title, pagerduty_status: incident.status },
    ...(incident.html_url ? { url: incident.html_url } : {}),
  };
}
