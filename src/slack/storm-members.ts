import type { Incident } from '../domain/index.ts';
import type { IncidentView } from '../govern/service.ts';
import type { StormMember } from './blocks/storm-message.ts';

/** How an incident is counted and listed in its storm's message. */
export function memberOf(incident: Incident): StormMember {
  return {
    id: incident.id,
    title: incident.title,
    namespace: incident.namespace,
    ...(incident.workload ? { workload: incident.workload.name } : {}),
    alert: incident.title.split(' in ')[0] ?? incident.title,
    pods: [
      ...new Set(
        Object.values(incident.alertLabels ?? {}).flatMap((labels) => (labels.pod ? [labels.pod] : [])),
      ),
    ],
  };
}

/** A member with what its proposal is, held back while the storm lasts. */
export function stormMember(view: IncidentView): StormMember {
  const held = view.proposal
    ? `${view.proposal.action.kind}: ${view.verdict?.headline ?? 'waits for a human'}`
    : undefined;
  return { ...memberOf(view.incident), ...(held ? { heldBack: held } : {}) };
}
