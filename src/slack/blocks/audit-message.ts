import type { AuditEvent } from '../../domain/index.ts';
import { context, escapeText, message, type SlackMessage, section, utcTime } from './limits.ts';

/** `/remediate audit`: one line per record, oldest first, cut to Slack's limits with a note. */
export function auditMessage(
  events: readonly AuditEvent[],
  query: { incidentId?: string; last?: number },
  now?: Date,
): SlackMessage {
  const what = query.incidentId
    ? `incident ${escapeText(query.incidentId)}`
    : `the last ${query.last ?? events.length} records`;
  if (events.length === 0)
    return message(`No audit records for ${what}.`, [section(`_No audit records for ${what}._`)]);
  const lines = events.map((e) => {
    const actor =
      e.actor.type === 'user' ? `<@${escapeText(e.actor.id)}>` : escapeText(`${e.actor.type}:${e.actor.id}`);
    return `\`#${e.seq}\` ${utcTime(e.at, now)} *${e.type}* ${actor} — ${escapeText(e.summary)}`;
  });
  return message(`Audit: ${events.length} records for ${what}`, [
    section(`*Audit trail: ${what}*`),
    section(lines.join('\n')),
    context('The full records, with data, are in the audit log: `belay audit`.'),
  ]);
}
