import { ACTION_KINDS } from '../../domain/index.ts';
import { TARGET_FORMS } from '../../govern/parse-target.ts';
import { escapeText, message, type SlackMessage, section } from './limits.ts';

const USAGE = [
  '`/remediate status` — open incidents, pending proposals, freeze and pause, the next windows',
  '`/remediate propose <action> <target> [replicas=N]` — ask for an action; it goes through the same policy and approvals',
  '`/remediate explain <action> <target>` — what the policy would say right now, and why',
  '`/remediate freeze on <reason> [for <duration>]` / `freeze off` — security freeze: nothing restarts',
  '`/remediate pause` / `/remediate resume` — the kill switch for all execution',
  '`/remediate windows [target]` — maintenance and backup windows, open and next',
  '`/remediate audit [incident-id | last N]` — the audit trail',
  "`/remediate promote <rule> suggest|approval|auto` — the rule's record, and its promotion when the record allows",
  '`/remediate replay [rule] [7d]` — what the policy would have done with the alerts of the last days: near misses first',
];

/** The answer to `/remediate help` and to anything it does not understand (with a note saying what). */
export function helpMessage(note?: string): SlackMessage {
  const blocks = [
    ...(note ? [section(`:thinking_face: ${escapeText(note)}`)] : []),
    section(`*Belay — /remediate*\n${escapeText(USAGE.join('\n'))}`),
    section(`*Actions:* ${ACTION_KINDS.map((k) => `\`${k}\``).join(', ')}\n*Targets:* ${TARGET_FORMS}`),
  ];
  return message(
    `${note ? `${note} ` : ''}Usage: /remediate help | status | propose | explain | freeze | pause | resume | windows | audit | replay | promote`,
    blocks,
  );
}
