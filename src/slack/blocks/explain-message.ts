import type { Verdict } from '../../domain/index.ts';
import { escapeText, message, type SlackMessage, section } from './limits.ts';
import {
  approversText,
  openWindows,
  rateBudgetLeft,
  ruleConditions,
  verdictHeadline,
  verdictReasons,
} from './verdict-text.ts';

/** `/remediate explain`: the verdict the policy would give now, every reason and the facts behind it. */
export function explainMessage(result: { message: string; verdict?: Verdict }, now?: Date): SlackMessage {
  const verdict = result.verdict;
  if (!verdict) return message(result.message, [section(escapeText(result.message))]);
  const windows = openWindows(verdict, now);
  const budget = rateBudgetLeft(verdict);
  const approvers = approversText(verdict);
  const facts = [
    `*Namespace class:* ${escapeText(verdict.namespaceClass)}`,
    `*Window:* ${windows.length ? windows.join(', ') : 'none open'}`,
    `*Rate budget left:* ${budget.length ? budget.join('; ') : 'no limit applies'}`,
    ...(approvers ? [`*Who may approve:* ${approvers}`] : []),
  ];
  const blocks = [
    section(
      [
        `_If asked now:_ ${verdictHeadline(verdict)}`,
        ...verdictReasons(verdict, now).map((r) => `  ${r}`),
      ].join('\n'),
    ),
    ...(verdict.rule ? [section(ruleConditions(verdict).join('\n'))] : []),
    section(facts.join('\n')),
  ];
  return message(verdict.headline, blocks);
}
