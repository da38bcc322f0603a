import { formatDuration } from '../../domain/index.ts';
import type { ReplayReport, RuleReplay } from '../../govern/replay/index.ts';
import { context, cut, escapeText, header, LIMITS, message, type SlackMessage, section } from './limits.ts';

/** Near misses shown in Slack; the rest are one `belay replay` away. */
const SHOWN_MISSES = 10;
const SHOWN_RULES = 10;

const when = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)} UTC`;

/** `/remediate replay`: near misses first, then what each rule would have done. */
export function replayMessage(report: ReplayReport): SlackMessage {
  const { summary } = report;
  const periodMs = Date.parse(report.to) - Date.parse(report.from);
  const which = report.rules.length === 1 ? `rule ${report.rules[0]}` : 'the policy';
  const fired = report.episodes.length;
  const triggered = fired - summary.untriggered;
  const misses = fitLines(
    summary.nearMisses.slice(0, SHOWN_MISSES).map((m) => {
      const pattern = m.pattern
        ? `\n      ${m.pattern.covered ? ':information_source: a window covers' : ':warning: no window covers'} a recurring pattern: _${escapeText(cut(m.pattern.description, 300))}_`
        : '';
      return `• ${when(m.at)} *${escapeText(m.rule)}*: ${escapeText(m.action)} — ${escapeText(m.what)}${pattern}`;
    }),
    summary.nearMisses.length,
    (more) => `_…and ${more} more: \`belay replay\` lists them all._`,
  );
  const rules = fitLines(
    summary.rules.slice(0, SHOWN_RULES).map(ruleLine),
    summary.rules.length,
    (more) => `_…and ${more} more rules: \`belay replay\` shows every one._`,
  );
  return message(
    `Replay of ${which} over the last ${formatDuration(periodMs)}: ${summary.nearMisses.length} near misses, ${triggered} of ${fired} alerts triggered a rule`,
    [
      header(`Replay: ${which}, last ${formatDuration(periodMs)}`),
      section(
        `${when(report.from)} – ${when(report.to)}, from ${escapeText(report.origin)}: ${fired} alert${fired === 1 ? '' : 's'} fired, ${triggered} triggered ${which}.`,
      ),
      section(
        `*Near misses (${summary.nearMisses.length})*\n${misses || '_none: nothing was stopped only by a window or a limit, and nothing hit a recurring pattern_'}`,
      ),
      section(`*Per rule*\n${rules || '_no rules_'}`),
      context(...report.assumptions.map((a) => escapeText(a))),
    ],
  );
}

function ruleLine(rule: RuleReplay): string {
  const acted = rule.wouldAct.auto + rule.wouldAct.suggest + rule.wouldAct.approval;
  const blocks = rule.blockedBy.map((b) => `\`${escapeText(b.reason)}\` ×${b.count}`).join(', ');
  const parts = [
    `triggered ${rule.triggered}`,
    `matched ${rule.matched}`,
    `would have acted ${acted} (auto ${rule.wouldAct.auto}, suggest ${rule.wouldAct.suggest}, approval ${rule.wouldAct.approval})`,
    `blocked ${rule.blocked}${blocks ? ` by ${blocks}` : ''}`,
    ...(rule.forbidden > 0 ? [`forbidden ${rule.forbidden}`] : []),
    ...(rule.inUnconfiguredPattern > 0
      ? [`:warning: ${rule.inUnconfiguredPattern} in a pattern no window covers`]
      : []),
  ];
  return `• *${escapeText(rule.rule)}* (${rule.mode}): ${parts.join(' · ')}`;
}

/** As many lines as fit in a section (each cut to a share of it), then how many more there are. */
function fitLines(lines: readonly string[], total: number, more: (n: number) => string): string {
  const budget = LIMITS.sectionText - 200;
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    const fitted = cut(line, 800);
    if (used + fitted.length + 1 > budget) break;
    shown.push(fitted);
    used += fitted.length + 1;
  }
  if (total > shown.length) shown.push(more(total - shown.length));
  return shown.join('\n');
}
