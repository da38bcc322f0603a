import type { AlertObservation, OutcomeSettings, OutcomeStatus } from '../domain/index.ts';

/** What became of an action, judged by the alert that caused it. */
export interface OutcomeClassification {
  readonly status: OutcomeStatus;
  /** Nothing later can change it: it did not fix, it came back, or it stayed resolved for the return window. */
  readonly final: boolean;
  /** How long after the action the alert resolved, when it did. */
  readonly resolvedAfterMs?: number;
  /** How long after resolving it fired again, when it did within the return window. */
  readonly cameBackAfterMs?: number;
}

/**
 * Did an action fix what its alert was about? Pure: from when it ran, what was seen of the same alert on
 * the same target (any order; the firing that caused it included or not), and the time now.
 * - fixed: the alert resolved within `resolveWithin` of the action and did not fire again within
 *   `returnWithin` of resolving (final once that window has passed);
 * - not-fixed: still firing `resolveWithin` after the action;
 * - postponed: it resolved in time but fired again within `returnWithin`;
 * - pending: too early to say.
 * A firing seen before the resolution is the same episode (Alertmanager re-sends firing alerts), never a
 * return. Exported for replay, which judges past actions from Prometheus' history with the same rules.
 */
export function classifyOutcome(input: {
  readonly executedAt: Date;
  readonly observations: readonly AlertObservation[];
  readonly now: Date;
  readonly settings: OutcomeSettings;
}): OutcomeClassification {
  const ran = input.executedAt.getTime();
  const now = input.now.getTime();
  const deadline = ran + input.settings.resolveWithin;
  const seen = input.observations
    .map((o) => ({ status: o.status, at: Date.parse(o.at) }))
    .filter((o) => !Number.isNaN(o.at) && o.at >= ran && o.at <= now)
    .sort((a, b) => a.at - b.at);
  const resolved = seen.find((o) => o.status === 'resolved');
  if (!resolved || resolved.at > deadline) {
    return now >= deadline ? { status: 'not-fixed', final: true } : { status: 'pending', final: false };
  }
  const resolvedAfterMs = resolved.at - ran;
  const back = seen.find(
    (o) => o.status === 'firing' && o.at > resolved.at && o.at <= resolved.at + input.settings.returnWithin,
  );
  if (back) {
    return { status: 'postponed', final: true, resolvedAfterMs, cameBackAfterMs: back.at - resolved.at };
  }
  return { status: 'fixed', final: now >= resolved.at + input.settings.returnWithin, resolvedAfterMs };
}
