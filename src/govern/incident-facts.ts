import type { Action, Alert, Facts, Incident } from '../domain/index.ts';
import { alertSubject, CLUSTER_FACTS_SOURCE, factsSchema } from '../domain/index.ts';
import type { FactsSource } from './execution-gate.ts';
import type { AuditLog } from './store/index.ts';

export type IncidentFacts = (incident: Incident, alerts: readonly Alert[]) => Promise<Facts>;

/**
 * Facts for the incident's main target: its pod when an alert names one, else its workload. A failure to
 * gather them is audited and the investigation goes on with what is known, blocked until they can be read.
 */
export function createIncidentFacts(deps: { facts: FactsSource; audit: AuditLog }): IncidentFacts {
  return async (incident, alerts) => {
    const base = factsSchema.parse({
      cluster: incident.cluster,
      namespace: incident.namespace,
      storm: incident.storm,
    });
    const probe = probeAction(incident, alerts);
    if (!probe) return base;
    try {
      return { ...(await deps.facts(probe, { incidentId: incident.id })), storm: incident.storm };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.audit.append({
        incidentId: incident.id,
        type: 'error',
        actor: { type: 'system', id: 'facts' },
        summary: `Could not gather facts: ${message}`,
      });
      // Unread is not empty: a running backup or an open window may be there unseen, so the verdict blocks.
      return {
        ...base,
        calendarProblems: [
          { source: CLUSTER_FACTS_SOURCE, message: message.split('\n')[0] ?? message, failClosed: true },
        ],
      };
    }
  };
}

/** An action shaped only to name the target whose facts are gathered; it is never proposed or run. */
function probeAction(incident: Incident, alerts: readonly Alert[]): Action | undefined {
  const target = { cluster: incident.cluster, namespace: incident.namespace };
  const pod = alerts.map((a) => alertSubject(a).pod).find(Boolean);
  if (pod) return { kind: 'restart-pod', target: { ...target, pod } };
  const w = incident.workload;
  if (w && (w.kind === 'Deployment' || w.kind === 'StatefulSet'))
    return { kind: 'rollout-restart', target: { ...target, workloadKind: w.kind, name: w.name } };
  return undefined;
}
