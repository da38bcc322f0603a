import { message, type SlackMessage, section } from './limits.ts';
import { escapeKeepingMentions } from './verdict-text.ts';

/** The answer to /remediate promote: the rule's record, then promoted or why not. */
export function promoteMessage(result: { ok: boolean; message: string }): SlackMessage {
  const lines = result.message.split('\n');
  const verdict = lines.pop() ?? '';
  const mark = result.ok ? ':white_check_mark:' : ':no_entry_sign:';
  return message(result.message, [
    ...(lines.length > 0 ? [section(escapeKeepingMentions(lines.join('\n')))] : []),
    section(`${mark} ${escapeKeepingMentions(verdict)}`),
  ]);
}
