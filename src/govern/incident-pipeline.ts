import { type Candidate, evaluateAlert, type RuleOutcome } from '../decide/index.ts';
import {
  type Action,
  type Alert,
  BELAY_BOT,
  type Clock,
  type Facts,
  type Incident,
  type Policy,
  type Proposal,
  type Verdict,
} from '../domain/index.ts';
import type { CorrelationResult, IncidentUpdate } from '../observe/correlate/index.ts';
import type { OrientResult } from '../orient/index.ts';
import { redactDeep } from '../orient/index.ts';
import { chooseCandidate } from './choose-candidate.ts';
import type { ExecutionGate, FactsSource } from './execution-gate.ts';
import { createIncidentFacts } from './incident-facts.ts';
import { runAutomatically, withdrawOnResolve } from './incident-follow-up.ts';
import type { IncidentGraphs } from './incident-graphs.ts';
import { recoverUninvestigated, wasInvestigated } from './incident-investigated.ts';
import { createIncidentLanes } from './incident-lanes.ts';
import type { IncidentPresenter, Orientation } from './incident-presenter.ts';
import {
  createInvestigationScheduler,
  DEFAULT_INVESTIGATION_CONCURRENCY,
} from './investigation-scheduler.ts';
import { newProposal } from './new-proposal.ts';
import { toOrientation } from './orientation-view.ts';
import type { AuditLog, StateStore } from './store/index.ts';
import { withAlerts } from './thread-memory.ts';
import { createThreadQuestions, type ThreadQuestionDeps } from './thread-questions.ts';

export interface PipelineDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly correlate: (alerts: readonly Alert[]) => Promise<CorrelationResult>;
  readonly orient: (input: {
    incident: Incident;
    facts: Facts;
    alerts: readonly Alert[];
  }) => Promise<OrientResult>;
  /** The same loop, answering a question asked in an incident's thread. */
  readonly answer: ThreadQuestionDeps['answer'];
  readonly facts: FactsSource;
  readonly gate: ExecutionGate;
  readonly presenter: IncidentPresenter;
  readonly clock: Clock;
  /** After an auto action whose verification failed, revert it without waiting for a human. */
  readonly autoRevertOnFailedVerification: boolean;
  /** Post a quiet "would have …" line for dry-run rules; otherwise they are only audited. */
  readonly dryRunLines: boolean;
  /** Posts a dry-run rule's would-have action with 👍 / 👎 for its record (instead of the plain line). */
  readonly reviewDryRun?: (incident: Incident, rule: string, verdict: Verdict) => Promise<unknown>;
  readonly newId?: () => string;
  /** Incidents investigated at once (default 4). */
  readonly investigationConcurrency?: number;
  /** Investigations one alert storm may start, its shared one included (default 5). */
  readonly stormInvestigations?: number;
  /** Draws the incident's metric into its thread after the card; absent: no graphs. */
  readonly graphs?: IncidentGraphs;
}

/** Alerts whose audit records are prepared between two yields to the event loop. */
const YIELD_EVERY = 8;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Alerts in, incidents out: correlate, investigate each new incident once, decide, propose, and run what the
 * policy lets run on its own. Called by every intake (webhooks, Slack channel messages) with the same shape.
 */
export function createIncidentPipeline(deps: PipelineDeps) {
  const { policy, store, audit, presenter, clock } = deps;
  const factsForIncident = createIncidentFacts({ facts: deps.facts, audit });
  const answerQuestion = createThreadQuestions({
    policy,
    store,
    audit,
    presenter,
    clock,
    factsFor: factsForIncident,
    answer: deps.answer,
    propose: (...args) => propose(...args),
  });
  const scheduler = createInvestigationScheduler({
    orient: deps.orient,
    audit,
    ...(deps.investigationConcurrency ? { concurrency: deps.investigationConcurrency } : {}),
    ...(deps.stormInvestigations ? { stormInvestigations: deps.stormInvestigations } : {}),
  });

  // Deliveries run side by side (intake's work queue); their incidents share these lanes.
  const lanes = createIncidentLanes({
    concurrency: deps.investigationConcurrency ?? DEFAULT_INVESTIGATION_CONCURRENCY,
  });
  /** Resolves when the delivery before has been correlated: deliveries are correlated in arrival order. */
  let correlationTurn: Promise<void> = Promise.resolve();

  async function handleAlerts(alerts: readonly Alert[]): Promise<void> {
    // Taken now, at the call, so a small delivery cannot be correlated before a big one that came first.
    const previous = correlationTurn;
    let done: () => void = () => {};
    correlationTurn = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      await receiveAndCorrelate(alerts, previous, done);
    } finally {
      done();
    }
  }

  async function receiveAndCorrelate(
    alerts: readonly Alert[],
    previous: Promise<void>,
    correlated: () => void,
  ): Promise<void> {
    // Appended without waiting for each fsync (seqs are assigned at the call, so order holds): the audit's
    // group commit writes them in a few fsyncs, not one each. Yielding every few records lets webhook
    // acknowledgements in between; the audit log redacts every record itself.
    const received: Promise<unknown>[] = [];
    for (const [i, alert] of alerts.entries()) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
      const appended = audit.append({
        type: 'alert.received',
        actor: { type: 'system', id: alert.source },
        summary: `${alert.name} ${alert.status}`,
        data: { alert },
      });
      // Handled now, so a refusal during a yield is not an unhandled rejection; Promise.all still sees it.
      appended.catch(() => undefined);
      received.push(appended);
    }
    await Promise.all(received);
    await previous;
    let result: CorrelationResult;
    try {
      result = await deps.correlate(alerts);
    } finally {
      correlated();
    }
    for (const { alert, reason } of result.ignored) {
      await audit.append({
        type: 'error',
        actor: { type: 'system', id: 'correlate' },
        summary: `Alert ${alert.name} not placed: ${reason}`,
      });
    }
    const updates = result.updates.map((update) => recoverUninvestigated(store, update));
    // A storm's shared investigation first; then the delivery's incidents side by side.
    await scheduler.beginBatch(
      result.storm,
      updates.filter((u) => u.investigate),
    );
    // Every incident in its lane: one incident's updates in order, work outside a storm first, and other
    // deliveries' incidents served in turn, so a small delivery never waits for a huge one to finish.
    await lanes.submit(
      updates.map((update) => ({
        key: update.incident.id,
        urgent: !update.incident.storm,
        run: () => handleUpdate(update),
      })),
    );
  }

  async function handleUpdate(update: IncidentUpdate): Promise<void> {
    // Each incident's work starts on a turn of its own, after pending I/O: a webhook waiting for its ack
    // is answered before the next investigation, not after a whole delivery's worth of them.
    await yieldToIo();
    const { incident } = update;
    // Two deliveries may both have found it uninvestigated; its lane runs them in turn, so look again.
    const investigating =
      update.investigate && (update.change === 'opened' || !wasInvestigated(store, incident));
    if (update.change === 'opened') {
      await audit.append({
        incidentId: incident.id,
        type: 'incident.opened',
        actor: BELAY_BOT,
        summary: incident.title,
        data: { storm: incident.storm },
      });
    }
    if (investigating) await investigate(incident, update.alerts);
    else if (update.change === 'resolved') await withdrawOnResolve(deps, incident);
    else if (update.change === 'storm-marked') {
      await presenter.line(
        incident.id,
        'Many workloads are failing at once: this looks like a shared cause (an alert storm). Nothing will run automatically until it passes.',
      );
    }
  }

  async function investigate(incident: Incident, alerts: readonly Alert[]): Promise<void> {
    const now = clock.now();
    const firing = alerts.filter((a) => a.status === 'firing');
    const facts = await factsForIncident(incident, firing);
    const ruleOutcomes = firing.flatMap((alert) => evaluateAlert(policy, alert, facts, now));
    const orientation = await scheduler.orient({ incident, facts, alerts: firing });
    // The thread's questions start from the same alerts, after a restart too.
    await store.putThread(incident.id, withAlerts(store.thread(incident.id), firing));
    const view = toOrientation(orientation);
    await audit.append({
      incidentId: incident.id,
      type: 'model.reasoning',
      actor: {
        type: orientation.origin.type === 'model' ? 'model' : 'system',
        id: orientation.origin.type === 'model' ? orientation.origin.model : orientation.origin.rule,
      },
      promptVersion: orientation.promptVersion,
      summary: orientation.summary.slice(0, 500),
      data: { orientation: view, result: redactDeep(orientation) },
    });

    for (const dry of ruleOutcomes.filter(
      (o): o is Extract<RuleOutcome, { verdict: Verdict }> => 'verdict' in o && o.verdict.dryRun,
    )) {
      await audit.append({
        incidentId: incident.id,
        type: 'verdict',
        actor: { type: 'system', id: 'policy' },
        summary: `Dry run of ${dry.rule.name}: ${dry.verdict.headline}`,
        data: { verdict: dry.verdict, rule: dry.rule.name, dryRun: true },
      });
      if (deps.dryRunLines && deps.reviewDryRun)
        await deps.reviewDryRun(incident, dry.rule.name, dry.verdict);
      else if (deps.dryRunLines)
        await presenter.line(
          incident.id,
          `Dry-run rule ${dry.rule.name} would have: ${dry.verdict.headline}`,
        );
    }

    const chosen = chooseCandidate(policy, ruleOutcomes, orientation, facts, now);
    let proposal: Proposal | undefined;
    if (chosen) proposal = await propose(incident, view, chosen.candidate, chosen.verdict, now);
    else await presenter.show(incident, view);
    const rules = ruleOutcomes.map((o) => o.rule);
    await deps.graphs?.post({
      incident,
      alerts: firing,
      facts,
      rules,
      now,
      ...(proposal ? { action: proposal.action } : {}),
    });
  }

  /** A decided candidate becomes a proposal (unless forbidden), is shown, and runs if the policy says auto. */
  async function propose(
    incident: Incident,
    view: Orientation,
    candidate: Candidate,
    verdict: Verdict,
    now: Date,
  ): Promise<Proposal | undefined> {
    await audit.append({
      incidentId: incident.id,
      type: 'verdict',
      actor: { type: 'system', id: 'policy' },
      summary: verdict.headline,
      data: { verdict, origin: candidate.origin },
    });
    if (verdict.disposition === 'forbidden') {
      await presenter.show(
        incident,
        { ...view, needsHuman: view.needsHuman ?? verdict.headline },
        undefined,
        verdict,
      );
      return undefined;
    }
    const proposal = await newProposal(
      { store, audit, policy, ...(deps.newId ? { newId: deps.newId } : {}) },
      {
        incident,
        action: candidate.request as Action,
        origin: candidate.origin,
        ...(candidate.alert ? { alert: candidate.alert } : {}),
        verdict,
        now,
        by: BELAY_BOT,
      },
    );
    await presenter.show(incident, view, proposal, verdict);
    if (verdict.disposition === 'auto') await runAutomatically(deps, proposal);
    return proposal;
  }

  return { handleAlerts, investigate, answerQuestion, stormSpend: scheduler.stormSpend };
}
export type IncidentPipeline = ReturnType<typeof createIncidentPipeline>;
