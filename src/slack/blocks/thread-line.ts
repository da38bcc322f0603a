import { message, type SlackMessage, section } from './limits.ts';
import { escapeKeepingMentions } from './verdict-text.ts';

/** One event in the incident's thread ("approved by @alice", "verification failed: …"). */
export function threadLineMessage(text: string): SlackMessage {
  return message(text, [section(escapeKeepingMentions(text))]);
}
