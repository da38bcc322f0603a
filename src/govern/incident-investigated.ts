import type { Incident } from '../domain/index.ts';
import type { IncidentUpdate } from '../observe/correlate/index.ts';
import type { StateStore } from './store/index.ts';

/**
 * Whether the incident's investigation got as far as recording its alerts (the thread's record), or it
 * has its own message (an incident from before threads were kept has one but no record). One that was not
 * has no card yet, sent or waiting in the outbox.
 */
export function wasInvestigated(store: Pick<StateStore, 'thread'>, incident: Incident): boolean {
  return store.thread(incident.id) !== undefined || incident.slackMessage !== undefined;
}

/**
 * An open incident that was saved but never investigated (Belay stopped in between; the delivery, not
 * yet processed, is replayed at start-up and now reads as a repeat) is investigated by this update, or
 * it would never get its message. Until its investigation records the thread, no proposal exists, so
 * investigating again cannot propose twice.
 */
export function recoverUninvestigated(
  store: Pick<StateStore, 'thread'>,
  update: IncidentUpdate,
): IncidentUpdate {
  const { incident } = update;
  if (update.investigate || incident.status !== 'open' || update.change === 'resolved') return update;
  return wasInvestigated(store, incident) ? update : { ...update, investigate: true };
}
