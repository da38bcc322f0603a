import { formatDuration, type Verdict } from '../domain/index.ts';

export const MARK = {
  forbidden: '⛔',
  blocked: '✋',
  approval: '🔐',
  suggest: '💡',
  auto: '⚙️',
  info: '·',
} as const;

/** A verdict as an engineer reads it in a terminal: the headline, then every reason, then the budget left. */
export function renderVerdict(verdict: Verdict, indent = '  '): string[] {
  const lines = [`${indent}${MARK[verdict.disposition]} ${verdict.headline}`];
  for (const reason of verdict.reasons) {
    lines.push(`${indent}    ${MARK[reason.effect]} [${reason.rule}] ${reason.message}`);
  }
  if (verdict.rule) {
    lines.push(
      `${indent}    rule ${verdict.rule.name} (${verdict.rule.mode}): ${verdict.rule.applies ? 'applies' : 'does not apply'}`,
    );
    for (const c of verdict.rule.conditions)
      lines.push(`${indent}      ${c.met ? '✓' : '✗'} ${c.condition} — ${c.detail}`);
  }
  if (verdict.rateBudget.length > 0) {
    const budget = verdict.rateBudget.map(
      (b) => `${b.scope} ${b.remaining}/${b.limit} per ${formatDuration(b.windowMs)}`,
    );
    lines.push(`${indent}    rate budget left: ${budget.join(', ')}`);
  }
  if (verdict.approvers) {
    const who = [
      ...verdict.approvers.users.map((u) => `<@${u}>`),
      ...verdict.approvers.groups.map((g) => `<!subteam^${g}>`),
    ];
    lines.push(
      `${indent}    who may approve: ${who.length ? who.join(', ') : 'anyone in the channel'}${verdict.approvers.twoPerson ? ' (not the requester)' : ''}`,
    );
  }
  return lines;
}
