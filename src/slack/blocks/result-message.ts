import { context, message, type SlackMessage, section } from './limits.ts';
import { escapeKeepingMentions } from './verdict-text.ts';

/** A use-case's answer to the person who asked: its message, marked as done or refused. */
export function resultMessage(result: { ok: boolean; message: string }): SlackMessage {
  const mark = result.ok ? ':white_check_mark:' : ':no_entry_sign:';
  return message(result.message, [section(`${mark} ${escapeKeepingMentions(result.message)}`)]);
}

/**
 * An error the person must still hear about: what happened, why (the cause, briefly) and what to do next.
 * Stack traces stay in the log; the reference lets whoever reads the log find this one.
 */
export function errorMessage(what: string, cause: unknown, next: string, reference?: string): SlackMessage {
  const why = cause instanceof Error ? cause.message : String(cause);
  const text = `:warning: ${what} Why: ${why}. ${next}`;
  return message(text, [
    section(
      `:warning: *${escapeKeepingMentions(what)}*\n*Why:* ${escapeKeepingMentions(why)}\n*Next:* ${escapeKeepingMentions(next)}`,
    ),
    ...(reference ? [context(`ref ${reference}`)] : []),
  ]);
}
