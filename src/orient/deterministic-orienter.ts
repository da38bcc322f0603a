import {
  type Action,
  type Alert,
  alertSubject,
  DEFAULT_CLUSTER,
  type Facts,
  formatDuration,
  type Incident,
  type WindowOccurrence,
} from '../domain/index.ts';
import { incidentWorkload } from './candidate.ts';
import type { Evidence, Outcome } from './orient-result.ts';

/** A rollout this close before the incident opened is the first suspect. */
export const RECENT_ROLLOUT_MS = 30 * 60_000;

export interface DeterministicFindings {
  readonly rule: string;
  readonly summary: string;
  readonly suspectedCause?: { readonly text: string; readonly evidence: readonly Evidence[] };
  readonly outcome: Outcome;
}

interface Signals {
  readonly crashLoop: boolean;
  readonly oomKilled: boolean;
  readonly memoryHigh: boolean;
}

/** OOMKilled this many times: Kubernetes has restarted it already, and another restart will not help. */
export const REPEATED_OOM_RESTARTS = 3;

/** A termination this long before now still explains the incident; an older one is history. */
export const RECENT_TERMINATION_MS = 60 * 60_000;

/** What the alerts say happened, from their names, `reason` labels and descriptions. */
export function alertSignals(alerts: readonly Alert[]): Signals {
  const text = alerts
    .map((a) =>
      [a.name, a.labels.reason ?? '', a.annotations.summary ?? '', a.annotations.description ?? ''].join(' '),
    )
    .join(' ');
  return {
    crashLoop: /crash.?loop|back-?off restarting/i.test(text),
    oomKilled: /oom.?kill|out of memory/i.test(text),
    memoryHigh: /memory/i.test(text),
  };
}

/**
 * The alerts' guess, corrected by what Kubernetes itself reports: a recent termination reason of the pod
 * says whether it was OOMKilled, whatever the alert's wording. An old or unknown one leaves the guess.
 */
export function incidentSignals(alerts: readonly Alert[], facts: Facts, now: Date): Signals {
  const guessed = alertSignals(alerts);
  const reason = facts.pod?.lastTerminationReason;
  if (reason === undefined) return guessed;
  const endedAt = facts.pod?.lastRestartAt ? Date.parse(facts.pod.lastRestartAt) : undefined;
  const recent = endedAt === undefined || now.getTime() - endedAt <= RECENT_TERMINATION_MS;
  if (!recent) return guessed;
  return { ...guessed, oomKilled: reason === 'OOMKilled' };
}

/**
 * The orienter without a model: rules over the facts and alerts, with the same output shape. Used when
 * no model is configured, when the budget is spent, and when the model fails. Pure: time is an argument.
 */
export function orientDeterministically(input: {
  readonly incident: Incident;
  readonly facts: Facts;
  readonly alerts: readonly Alert[];
  readonly now: Date;
}): DeterministicFindings {
  const { incident, facts, alerts, now } = input;
  const signals = incidentSignals(alerts, facts, now);
  const where = `${incident.cluster === DEFAULT_CLUSTER ? '' : `${incident.cluster}:`}${incident.namespace}`;
  const subject = facts.pod?.name ?? incident.workload?.name ?? facts.owner?.name ?? 'the workload';
  const workload = incidentWorkload(incident, facts);
  const openWindow = facts.windows.find(
    (w) => Date.parse(w.start) <= now.getTime() && now.getTime() < Date.parse(w.end),
  );
  const rolloutAgo = facts.lastRolloutAt
    ? Date.parse(incident.openedAt) - Date.parse(facts.lastRolloutAt)
    : undefined;
  const recentRollout =
    rolloutAgo !== undefined && rolloutAgo >= -5 * 60_000 && rolloutAgo <= RECENT_ROLLOUT_MS;
  const restarts = facts.pod ? `${facts.pod.restartCount} restarts` : 'restarts';
  const alertEvidence: Evidence[] = alerts
    .slice(0, 3)
    .map((a) => ({ source: `alert:${a.name}`, excerpt: describeAlert(a) }));
  const factEvidence = (excerpt: string): Evidence => ({ source: 'facts', excerpt });

  if (signals.memoryHigh && !signals.crashLoop && !signals.oomKilled && openWindow) {
    return {
      rule: 'memory-high-inside-window',
      summary: `Memory of ${subject} in ${where} is high during the ${openWindow.kind} window "${openWindow.name}" (${windowSpan(openWindow)}). High memory is expected while it runs; Belay proposes nothing and will not restart it inside the window.`,
      suspectedCause: {
        text: `The ${openWindow.kind} "${openWindow.name}" is running; it loads data into memory as it is supposed to.`,
        evidence: [
          ...alertEvidence,
          factEvidence(
            `${openWindow.kind} window ${openWindow.name}: ${windowSpan(openWindow)} (${openWindow.source.type} ${openWindow.source.ref})`,
          ),
        ],
      },
      outcome: {
        type: 'no-action',
        why: `inside the ${openWindow.kind} window "${openWindow.name}" ${openWindow.job?.state === 'running' ? 'while its Job runs' : `until ${openWindow.end}`}; look again if memory stays high after it ends`,
      },
    };
  }

  if (incident.storm || facts.storm) {
    return {
      rule: 'storm',
      summary: `${subject} in ${where} is failing together with many other workloads at the same time. A shared cause (a node, the network, a dependency, the control plane) is far more likely than ${subject} itself; restarting or rolling back one workload will not fix it, so Belay proposes nothing per workload.`,
      suspectedCause: {
        text: 'Something many workloads share is failing: a node, the network, storage or a dependency.',
        evidence: [...alertEvidence, factEvidence('this incident is part of an alert storm')],
      },
      outcome: {
        type: 'needs-human',
        why: 'many workloads are failing at once; find the shared cause (node conditions, network, storage, a dependency) before touching any single one',
      },
    };
  }

  if (
    (signals.crashLoop || signals.oomKilled) &&
    recentRollout &&
    workload?.kind === 'Deployment' &&
    rolloutAgo !== undefined
  ) {
    const action: Action = {
      kind: 'rollback-deployment',
      target: { cluster: incident.cluster, namespace: incident.namespace, name: workload.name },
    };
    const what = signals.oomKilled ? 'is being OOMKilled' : 'is crash-looping';
    return {
      rule: 'crash-after-rollout',
      summary: `${subject} in ${where} ${what} (${restarts}) ${formatDuration(Math.max(0, rolloutAgo))} after Deployment ${workload.name} was rolled out. The new revision is the first suspect; rolling back to the previous one is the quickest way to recover.`,
      suspectedCause: {
        text: `The rollout at ${facts.lastRolloutAt} introduced a change that ${signals.oomKilled ? 'needs more memory than the limit' : 'makes the container exit'}.`,
        evidence: [
          ...alertEvidence,
          factEvidence(`last rollout of Deployment ${workload.name} at ${facts.lastRolloutAt}`),
        ],
      },
      outcome: {
        type: 'proposal',
        action,
        rationale: 'the trouble started right after a rollout; the previous revision ran',
      },
    };
  }

  const pod =
    facts.pod?.name ??
    alerts.map(alertSubject).find((s) => s.pod && (s.namespace ?? incident.namespace) === incident.namespace)
      ?.pod;
  if (signals.oomKilled && pod && (facts.pod?.restartCount ?? 0) >= REPEATED_OOM_RESTARTS) {
    const limit = memoryLimit(facts);
    return {
      rule: 'oomkilled-restart-loop',
      summary: `${pod} in ${where} has been OOMKilled again and again (${restarts}) with no rollout just before. Kubernetes restarts it each time and each time it fills its memory${limit ? ` limit (${limit})` : ' limit'} again: a memory leak or a limit set too low. Another restart would only feed the loop, so Belay proposes none.`,
      suspectedCause: {
        text: `Memory grows until the limit${limit ? ` of ${limit}` : ''} after every start: a leak, or a working set larger than the limit.`,
        evidence: [
          ...alertEvidence,
          factEvidence(
            `last termination of ${pod}: ${facts.pod?.lastTerminationReason ?? 'OOMKilled'}, ${restarts}`,
          ),
          ...(limit ? [factEvidence(`memory limit ${limit}`)] : []),
        ],
      },
      outcome: {
        type: 'needs-human',
        why: `restarts do not fix a leak: raise the memory limit${limit ? ` (${limit})` : ''} if the working set really grew, or find the leak (a heap profile before the next OOMKill)`,
      },
    };
  }

  if (signals.oomKilled && pod) {
    const limit = memoryLimit(facts);
    return {
      rule: 'oomkilled-no-rollout',
      summary: `${pod} in ${where} was OOMKilled (${restarts}) with no rollout just before. A restart gives it a clean start; if its memory keeps growing it will be killed again, so check the memory limit${limit ? ` (${limit})` : ''} and the workload's usage.`,
      suspectedCause: {
        text: `The container used more memory than its limit${limit ? ` of ${limit}` : ''}: a leak, a larger working set, or a limit set too low.`,
        evidence: [
          ...alertEvidence,
          ...(facts.pod?.lastTerminationReason
            ? [factEvidence(`last termination of ${pod}: ${facts.pod.lastTerminationReason}`)]
            : []),
          ...(limit ? [factEvidence(`memory limit ${limit}`)] : []),
        ],
      },
      outcome: {
        type: 'proposal',
        action: {
          kind: 'restart-pod',
          target: { cluster: incident.cluster, namespace: incident.namespace, pod },
        },
        rationale: `restart the pod; then review the memory limit${limit ? ` (${limit})` : ''}, a restart does not fix a leak`,
      },
    };
  }

  if (signals.crashLoop && pod) {
    return {
      rule: 'crashloop',
      summary: `${pod} in ${where} is crash-looping (${restarts}) with no recent rollout. A restart may clear a bad state; if it keeps crashing, its logs from the previous container hold the reason.`,
      suspectedCause: {
        text: 'The container exits soon after it starts; the cause is in its previous logs.',
        evidence: alertEvidence,
      },
      outcome: {
        type: 'proposal',
        action: {
          kind: 'restart-pod',
          target: { cluster: incident.cluster, namespace: incident.namespace, pod },
        },
        rationale: 'no rollout to roll back; a restart is the least risky step',
      },
    };
  }

  return {
    rule: 'unknown',
    summary: `Belay's rules do not recognise ${alerts.map((a) => a.name).join(', ') || 'this alert'} on ${subject} in ${where}. A human needs to look.`,
    ...(alertEvidence.length > 0 ? { suspectedCause: { text: 'unknown', evidence: alertEvidence } } : {}),
    outcome: {
      type: 'needs-human',
      why: 'no rule matches this alert, so Belay has no safe action to propose; look at the alert, the pod and its logs',
    },
  };
}

function windowSpan(w: WindowOccurrence): string {
  // A running backup Job has no known end: its window is re-read at every decision.
  return w.job?.state === 'running'
    ? `${w.start} – still running (Job ${w.job.name})`
    : `${w.start} – ${w.end}`;
}

function describeAlert(a: Alert): string {
  return `${a.name} ${a.status} since ${a.startsAt}${a.annotations.summary ? `: ${a.annotations.summary.slice(0, 200)}` : ''}`;
}

/**
 * The memory limit as an engineer writes it: the pod spec's, else a `…memory…limit…` metric series (bytes).
 */
function memoryLimit(facts: Facts): string | undefined {
  const series = facts.metrics.find((m) => /memory/i.test(m.name) && /limit/i.test(m.name));
  const value = facts.pod?.memoryLimitBytes ?? series?.samples.at(-1)?.value;
  if (value === undefined) return undefined;
  return value >= 2 ** 30 ? `${(value / 2 ** 30).toFixed(1)}Gi` : `${Math.round(value / 2 ** 20)}Mi`;
}
