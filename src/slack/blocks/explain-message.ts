import type { Verdict } from '../../domain/index.ts';
import { explainVerdict } from '../../govern/explain-verdict.ts';
import { escapeText, message, type SlackMessage, section } from './limits.ts';
import { MRKDWN } from './verdict-text.ts';

/** `/remediate explain`: the verdict the policy would give now, every reason and the facts behind it. */
export function explainMessage(result: { message: string; verdict?: Verdict }, now?: Date): SlackMessage {
  const verdict = result.verdict;
  if (!verdict) return message(result.message, [section(escapeText(result.message))]);
  const explained = explainVerdict(verdict, MRKDWN, now);
  const blocks = [
    section(explained.verdict.join('\n')),
    ...(explained.rule.length ? [section(explained.rule.join('\n'))] : []),
    section(explained.facts.join('\n')),
  ];
  return message(verdict.headline, blocks);
}
