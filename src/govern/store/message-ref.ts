import type { Incident } from '../../domain/index.ts';

/**
 * Where an incident's message lives is the notifier's to set, while the correlator writes back the copy of
 * the incident it read at the start of a delivery. A put without the ref (or without its graph) keeps the
 * stored one, so a ref stored meanwhile is not lost and the next card update does not post a second card.
 * Another message's ref replaces the stored one whole.
 */
export function withStoredMessageRef(incident: Incident, stored: Incident['slackMessage']): Incident {
  if (!stored) return incident;
  const given = incident.slackMessage;
  if (!given) return { ...incident, slackMessage: stored };
  const sameMessage = given.channel === stored.channel && given.ts === stored.ts;
  return sameMessage && !given.graph && stored.graph
    ? { ...incident, slackMessage: { ...given, graph: stored.graph } }
    : incident;
}
