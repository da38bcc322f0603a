import { classifyOutcome } from '../decide/index.ts';
import type {
  ActionOutcome,
  Alert,
  AlertObservation,
  Clock,
  Labels,
  OutcomeSettings,
  Proposal,
} from '../domain/index.ts';
import { alertSubject } from '../domain/index.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import { actionWords, outcomeLine } from './outcome-words.ts';
import type { AuditLog, RuleRecordsStore, StateStore } from './store/index.ts';

/** Observations kept per outcome: the first firing after the fix is all that matters, so few are enough. */
const MAX_OBSERVATIONS = 50;
const MEASURER = { type: 'system', id: 'outcomes' } as const;

export interface OutcomeTrackerDeps {
  readonly records: RuleRecordsStore;
  readonly store: Pick<StateStore, 'getIncident'>;
  readonly audit: AuditLog;
  readonly presenter: Pick<IncidentPresenter, 'line'>;
  readonly settings: OutcomeSettings;
  readonly clock: Clock;
  /**
   * Whether the alert fires now, from Prometheus' ALERTS series; undefined when it cannot say (no
   * Prometheus, or it did not answer). Absent: only the alerts Belay receives count.
   */
  readonly alertFiring?: (alert: { name: string; labels: Labels }, at: Date) => Promise<boolean | undefined>;
}

export interface OutcomeTracker {
  /** An action ran (succeeded, or ran and failed verification): start measuring it against its alert. */
  actionRan(proposal: Proposal): Promise<void>;
  /** Alerts as they arrive (webhooks, Slack messages): resolutions and returns of what is measured. */
  observe(alerts: readonly Alert[]): Promise<void>;
  /** The scheduled check: asks Prometheus where it can, then settles what is due. */
  check(now: Date): Promise<ActionOutcome[]>;
  /** A reverted action is no longer measured, and counts against its rule's record. */
  reverted(proposal: Proposal): Promise<void>;
}

/**
 * Did what ran fix anything beyond the pod being Ready? Each action is measured against the alert that
 * caused it: resolved within the policy's `outcomes.resolveWithin`, and not back within `returnWithin`.
 * Each verdict is told once in the incident's thread and audited (the weekly digest counts the records).
 */
export function createOutcomeTracker(deps: OutcomeTrackerDeps): OutcomeTracker {
  const { records, audit } = deps;
  // One change at a time: a webhook and the minute's check settling the same outcome at once would both
  // see it untold and post its line twice.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  function alertOf(proposal: Proposal): ActionOutcome['alert'] | undefined {
    if (proposal.alert) {
      const { name, fingerprint, labels } = proposal.alert;
      return { name, fingerprint, labels };
    }
    // The model's and manual proposals: the incident's first alert still firing is what they answered.
    const incident = deps.store.getIncident(proposal.incidentId);
    const firing = Object.entries(incident?.alerts ?? {}).find(([, status]) => status === 'firing');
    const labels = firing ? incident?.alertLabels?.[firing[0]] : undefined;
    if (!firing || !labels?.alertname) return undefined;
    return { name: labels.alertname, fingerprint: firing[0], labels };
  }

  async function settle(outcome: ActionOutcome, now: Date): Promise<ActionOutcome> {
    const result = classifyOutcome({
      executedAt: new Date(outcome.executedAt),
      observations: outcome.observations,
      now,
      settings: deps.settings,
    });
    const line = result.status === 'pending' ? undefined : outcomeLine(outcome, result, deps.settings);
    const tell = line !== undefined && !outcome.told.includes(result.status);
    const next: ActionOutcome = {
      ...outcome,
      status: result.status,
      final: result.final,
      told: tell ? [...outcome.told, result.status] : outcome.told,
    };
    if (next.status === outcome.status && next.final === outcome.final && !tell) return outcome;
    await records.putOutcome(next);
    if (tell && line) {
      await audit.append({
        incidentId: outcome.incidentId,
        proposalId: outcome.proposalId,
        type: 'outcome.measured',
        actor: MEASURER,
        summary: line,
        data: {
          status: result.status,
          ...(outcome.rule ? { rule: outcome.rule } : {}),
          alert: outcome.alert.name,
          ...(result.resolvedAfterMs !== undefined ? { resolvedAfterMs: result.resolvedAfterMs } : {}),
          ...(result.cameBackAfterMs !== undefined ? { cameBackAfterMs: result.cameBackAfterMs } : {}),
        },
      });
      await deps.presenter.line(outcome.incidentId, line);
    }
    return next;
  }

  function observed(outcome: ActionOutcome, seen: AlertObservation): ActionOutcome {
    const already = outcome.observations.some((o) => o.status === seen.status && o.at === seen.at);
    if (already) return outcome;
    return { ...outcome, observations: [...outcome.observations, seen].slice(-MAX_OBSERVATIONS) };
  }

  const tracker: OutcomeTracker = {
    async actionRan(proposal) {
      if (records.outcome(proposal.id)) return;
      const alert = alertOf(proposal);
      const ran = proposal.history.findLast((h) => h.to === 'executing')?.at ?? proposal.updatedAt;
      if (!alert) return;
      await records.putOutcome({
        proposalId: proposal.id,
        incidentId: proposal.incidentId,
        ...(proposal.origin.type === 'rule' ? { rule: proposal.origin.rule } : {}),
        actionWords: actionWords(proposal.action.kind),
        alert,
        executedAt: ran,
        observations: [],
        status: 'pending',
        final: false,
        told: [],
        reverted: false,
      });
    },

    async observe(alerts) {
      const open = records.outcomes({ open: true });
      if (open.length === 0) return;
      const now = deps.clock.now();
      for (const outcome of open) {
        let next = outcome;
        for (const alert of alerts.filter((a) => sameAlert(outcome.alert, a))) {
          next = observed(next, {
            status: alert.status,
            at: alert.status === 'resolved' ? (alert.endsAt ?? alert.receivedAt) : alert.startsAt,
          });
        }
        if (next !== outcome) await settle(next, now);
      }
    },

    async check(now) {
      const settled: ActionOutcome[] = [];
      for (const outcome of records.outcomes({ open: true })) {
        let next = outcome;
        const firing = deps.alertFiring ? await deps.alertFiring(outcome.alert, now) : undefined;
        const last = outcome.observations
          .filter((o) => Date.parse(o.at) >= Date.parse(outcome.executedAt))
          .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
          .at(-1);
        // Prometheus says what the webhooks may not have told yet (a lost delivery, send_resolved off).
        if (firing === false && last?.status !== 'resolved') {
          next = observed(next, { status: 'resolved', at: now.toISOString() });
        } else if (firing === true && last?.status === 'resolved') {
          next = observed(next, { status: 'firing', at: now.toISOString() });
        }
        settled.push(await settle(next, now));
      }
      return settled;
    },

    async reverted(proposal) {
      const outcome = records.outcome(proposal.id);
      if (!outcome || outcome.reverted) return;
      await records.putOutcome({ ...outcome, reverted: true, final: true });
    },
  };
  return {
    actionRan: (proposal) => serial(() => tracker.actionRan(proposal)),
    // Called after the alerts were handled: a record that cannot be written is audited, and the delivery
    // (already acknowledged and processed) is not failed for it.
    observe: (alerts) =>
      serial(() => tracker.observe(alerts))
        .catch((error: unknown) =>
          audit.append({
            type: 'error',
            actor: MEASURER,
            summary: `Outcomes were not updated from ${alerts.length} alert(s): ${error instanceof Error ? error.message : String(error)}`,
          }),
        )
        .then(() => undefined),
    check: (now) => serial(() => tracker.check(now)),
    reverted: (proposal) => serial(() => tracker.reverted(proposal)),
  };
}

/** The same alert on the same target: its fingerprint, or its name and where it points. */
function sameAlert(measured: ActionOutcome['alert'], alert: Alert): boolean {
  if (alert.fingerprint === measured.fingerprint) return true;
  if (alert.name !== measured.name) return false;
  const a = alertSubject({ ...alert, labels: measured.labels });
  const b = alertSubject(alert);
  return (
    a.cluster === b.cluster &&
    a.namespace === b.namespace &&
    a.pod === b.pod &&
    a.workload?.kind === b.workload?.kind &&
    a.workload?.name === b.workload?.name
  );
}
