import type { Action, Clock, Facts, FactsInput, RecurringPattern, SwitchState } from '../domain/index.ts';
import { type CalendarWindow, occurrencesAt, subjectOfFacts } from '../observe/calendar/index.ts';
import { type ExternalCalendar, silenceLabelSets } from '../observe/calendars-external/index.ts';
import { patternCaution } from '../observe/patterns/index.ts';
import type { FactsSource } from './execution-gate.ts';
import type { StateStore } from './store/index.ts';

/** What Belay's own state adds to the facts the cluster gives. */
export type GovernanceFacts = Pick<FactsInput, 'ledger' | 'freeze' | 'pause' | 'approvedBefore' | 'storm'>;

/** The part of Belay's state the facts read: the live store, or a read-only snapshot of its file. */
export type GovernanceState = Pick<
  StateStore,
  'getIncident' | 'ledger' | 'freeze' | 'pause' | 'approvedBefore'
>;

export interface FactsSourceDeps {
  readonly store: GovernanceState;
  readonly clock: Clock;
  /** Facts from the cluster (owner, restarts, windows of the policy file and backup CronJobs) plus `base`. */
  readonly cluster: (action: Action, base: GovernanceFacts) => Promise<Facts>;
  /** Calendars outside the cluster: Alertmanager silences, PagerDuty maintenance. */
  readonly external: readonly ExternalCalendar[];
  /** Recurring patterns learned in the background (prometheus.patterns); read from memory, never fetched here. */
  readonly patterns?: () => readonly RecurringPattern[];
}

/**
 * Everything the policy reads about a target, gathered fresh on each call: the cluster's facts, Belay's
 * rate ledger, freeze, pause and approval history, and the external calendars (whose failures, when they
 * fail closed, block like a window). The gate calls it at the click, never reusing what the post showed.
 */
export function createFactsSource(deps: FactsSourceDeps): FactsSource {
  const { store, clock } = deps;
  return async (action, context) => {
    const now = clock.now();
    const incident = context.incidentId ? store.getIncident(context.incidentId) : undefined;
    const facts = await deps.cluster(action, {
      ledger: [...store.ledger()],
      freeze: inForce(store.freeze(), now),
      pause: inForce(store.pause(), now),
      approvedBefore: store.approvedBefore(),
      storm: incident?.storm ?? false,
    });
    if (deps.external.length === 0) return withPattern(facts, now);
    const subject = subjectOfFacts(facts);
    const labelSets = silenceLabelSets({ ...facts, alertLabels: Object.values(incident?.alertLabels ?? {}) });
    const answers = await Promise.all(
      deps.external.map((calendar) => calendar.windowsFor(subject, labelSets)),
    );
    const windows: CalendarWindow[] = answers.flatMap((a) => a.windows);
    return withPattern(
      {
        ...facts,
        windows: [...facts.windows, ...occurrencesAt(windows, subject, now)],
        calendarProblems: [...facts.calendarProblems, ...answers.flatMap((a) => a.problems)],
      },
      now,
    );
  };

  /** Last, so that every window (the file's, the cluster's, the external calendars') is known first. */
  function withPattern(facts: Facts, now: Date): Facts {
    const caution = deps.patterns ? patternCaution(deps.patterns(), facts, now) : undefined;
    return caution ? { ...facts, recurringPattern: caution } : facts;
  }
}

/** A freeze or pause declared `for 2h` lapses on its own; the stored state keeps who and why. */
function inForce(state: SwitchState, now: Date): SwitchState {
  return state.active && state.until && Date.parse(state.until) <= now.getTime()
    ? { ...state, active: false }
    : state;
}
