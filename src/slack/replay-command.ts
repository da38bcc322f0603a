import { formatDuration, parseDuration } from '../domain/index.ts';
import type { ParsedCommand } from './remediate-command.ts';

export const DEFAULT_REPLAY_MS = 7 * 86_400_000;
/** A replay in Slack answers within a minute or so; longer periods are for `belay replay`. */
export const MAX_REPLAY_MS = 30 * 86_400_000;
const RULE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `replay [RULE] [7d]`, in either order: one rule at most, one period at most. */
export function parseReplay(words: readonly string[]): ParsedCommand {
  let rule: string | undefined;
  let periodMs: number | undefined;
  for (const word of words) {
    const duration = parseDuration(word);
    if (duration !== undefined) {
      if (periodMs !== undefined) return usage('Give one period.');
      if (duration <= 0 || duration > MAX_REPLAY_MS)
        return usage(
          `"${word.slice(0, 20)}" is outside what a replay in Slack covers (up to ${formatDuration(MAX_REPLAY_MS)}; run \`belay replay\` for longer).`,
        );
      periodMs = duration;
    } else if (RULE_NAME.test(word)) {
      if (rule !== undefined) return usage('Give one rule, or none for every rule.');
      rule = word;
    } else return usage(`"${word.slice(0, 40)}" is neither a rule name nor a period such as 7d.`);
  }
  return {
    ok: true,
    command: { type: 'replay', periodMs: periodMs ?? DEFAULT_REPLAY_MS, ...(rule ? { rule } : {}) },
  };
}

function usage(problem: string): ParsedCommand {
  return {
    ok: false,
    message: `${problem} Say \`/remediate replay [rule] [7d]\`, e.g. \`/remediate replay memory-pressure-restart 7d\`.`,
  };
}
