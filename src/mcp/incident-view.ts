import type { Incident, Proposal } from '../domain/index.ts';
import type { IncidentReader } from './mcp-deps.ts';

const proposalView = (p: Proposal) => ({
  id: p.id,
  action: p.action,
  state: p.state,
  origin: p.origin,
  createdAt: p.createdAt,
  expiresAt: p.expiresAt,
  ...(p.outcome ? { outcome: p.outcome } : {}),
});

/** One line of list_incidents: enough to choose which to look at. */
export function incidentSummary(reader: IncidentReader, incident: Incident) {
  return {
    id: incident.id,
    title: incident.title,
    cluster: incident.cluster,
    namespace: incident.namespace,
    ...(incident.workload ? { workload: incident.workload } : {}),
    openedAt: incident.openedAt,
    storm: incident.storm,
    alerts: incident.alerts,
    proposals: reader.listProposals({ incidentId: incident.id }).map((p) => ({ id: p.id, state: p.state })),
  };
}

/**
 * get_incident: the incident, its alerts as received, and each proposal with its verdict. The verdict's
 * reasons and rule conditions are the facts it was decided on.
 */
export async function incidentDetail(reader: IncidentReader, incident: Incident) {
  const received = await reader.alertsOf(incident);
  return {
    ...incidentSummary(reader, incident),
    status: incident.status,
    alertsReceived: received.slice(-20).map((e) => ({ at: e.at, summary: e.summary, alert: e.data.alert })),
    proposals: reader.listProposals({ incidentId: incident.id }).map((p) => ({
      ...proposalView(p),
      verdict: {
        disposition: p.verdict.disposition,
        headline: p.verdict.headline,
        reasons: p.verdict.reasons,
        ...(p.verdict.rule ? { rule: p.verdict.rule } : {}),
        ...(p.verdict.approvers ? { approvers: p.verdict.approvers } : {}),
      },
    })),
  };
}
