import {
  type Action,
  classifyActionRequest,
  describeAction,
  type Facts,
  type Incident,
  type WorkloadRef,
} from '../domain/index.ts';
import type { Outcome, Rejection } from './orient-result.ts';

export type CandidateCheck =
  | { readonly ok: true; readonly action: Action }
  | { readonly ok: false; readonly outcome: Outcome; readonly rejection: Rejection };

/**
 * Turns whatever the model proposed into a catalog action on this incident's own target, or a refusal
 * that says why. It never judges whether the action should run: that is the policy's job.
 */
export function checkCandidate(raw: unknown, incident: Incident, facts: Facts): CandidateCheck {
  const classified = classifyActionRequest(withIncidentCluster(raw, incident));
  if (classified.type === 'forbidden') {
    const why =
      classified.rule === 'catalog'
        ? `The investigation suggested "${classified.requested}", which Belay cannot do: ${classified.reason}. A human has to decide and do it.`
        : `The investigation suggested "${classified.requested}". Belay never does that (${classified.rule}): ${classified.reason}.`;
    return {
      ok: false,
      outcome: { type: 'needs-human', why },
      rejection: {
        what: 'proposal',
        detail: classified.requested,
        reason: `${classified.rule}: ${classified.reason}`,
      },
    };
  }
  if (classified.type === 'invalid') {
    const reason = classified.problems.join('; ');
    return {
      ok: false,
      outcome: {
        type: 'needs-human',
        why: `The investigation proposed "${classified.requested}" but not as a valid catalog action (${reason}); nothing was proposed.`,
      },
      rejection: { what: 'proposal', detail: classified.requested, reason },
    };
  }
  const outside = outsideIncident(classified.action, incident, facts);
  if (outside) {
    const detail = describeAction(classified.action);
    return {
      ok: false,
      outcome: {
        type: 'needs-human',
        why: `The investigation proposed to ${detail}, which is outside this incident (${outside}); Belay only proposes actions on the incident's own target.`,
      },
      rejection: { what: 'proposal', detail, reason: `outside the incident: ${outside}` },
    };
  }
  return { ok: true, action: classified.action };
}

/** A model that leaves the cluster out means this incident's cluster, not the catalog's default. */
function withIncidentCluster(raw: unknown, incident: Incident): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const record = raw as Record<string, unknown>;
  const target = record.target;
  if (typeof target !== 'object' || target === null || 'cluster' in target) return raw;
  return { ...record, target: { ...target, cluster: incident.cluster } };
}

/**
 * The workload an incident is about. Correlation names a pod it cannot place by its name (`api-rev2-7xk2p`,
 * not `api-7d9f8b6c5-x2x9k`) a Pod; the owner the API reports for that very pod is then the workload.
 */
export function incidentWorkload(incident: Incident, facts: Facts): WorkloadRef | undefined {
  const w = incident.workload;
  if (w?.kind === 'Pod' && facts.owner && facts.pod?.name === w.name) return facts.owner;
  return w ?? facts.owner;
}

/** Why the action's target is not this incident's, or undefined when it is. */
export function outsideIncident(action: Action, incident: Incident, facts: Facts): string | undefined {
  const t = action.target;
  if (t.cluster !== incident.cluster) return `cluster ${t.cluster}, not ${incident.cluster}`;
  if (t.namespace !== incident.namespace) return `namespace ${t.namespace}, not ${incident.namespace}`;
  const workload = incidentWorkload(incident, facts);
  if (!workload) return undefined;
  const same = `${workload.kind} ${workload.name}`;
  switch (action.kind) {
    case 'restart-pod':
      return podBelongsTo(action.target.pod, workload, facts)
        ? undefined
        : `pod ${action.target.pod} is not part of ${same}`;
    case 'rollout-restart':
    case 'scale':
      return action.target.workloadKind === workload.kind && action.target.name === workload.name
        ? undefined
        : `${action.target.workloadKind} ${action.target.name}, not ${same}`;
    case 'rollback-deployment':
      return workload.kind === 'Deployment' && action.target.name === workload.name
        ? undefined
        : `Deployment ${action.target.name}, not ${same}`;
    case 'patch-configmap':
      // A ConfigMap is not owned by a workload; the namespace check above is the scope, the policy's
      // known-safe keys are the rest.
      return undefined;
  }
}

/** Pods are named after their workload: `api-7d9f8b6c5-x2x9k` (Deployment), `postgres-0` (StatefulSet). */
function podBelongsTo(pod: string, workload: WorkloadRef, facts: Facts): boolean {
  if (facts.pod?.name === pod) return true;
  const rest = pod.startsWith(`${workload.name}-`) ? pod.slice(workload.name.length + 1) : undefined;
  switch (workload.kind) {
    case 'Pod':
      return pod === workload.name;
    case 'Deployment':
      return rest !== undefined && /^[a-z0-9]{5,10}-[a-z0-9]{5}$/.test(rest);
    case 'StatefulSet':
      return rest !== undefined && /^\d+$/.test(rest);
    default:
      return rest !== undefined && /^[a-z0-9-]+$/.test(rest);
  }
}
