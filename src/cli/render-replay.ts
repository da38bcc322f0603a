import type { ReplayedEpisode, ReplayReport, RuleReplay } from '../govern/replay/index.ts';
import { MARK } from './render-verdict.ts';

/** `2026-03-08 02:07 UTC`. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The replay as a terminal reads it: near misses first, then a table per rule, then every episode. */
export function replayText(report: ReplayReport): string[] {
  const { summary, episodes } = report;
  const lines = [
    `Replay ${when(report.from)} – ${when(report.to)}, from ${report.origin}`,
    `${episodes.length} alert${episodes.length === 1 ? '' : 's'} fired; ${episodes.length - summary.untriggered} triggered ${report.rules.length === 1 ? `rule ${report.rules[0]}` : 'a replayed rule'}.`,
    '',
    `Near misses (${summary.nearMisses.length})`,
  ];
  if (summary.nearMisses.length === 0)
    lines.push('  none: no action was stopped only by a window or a limit, and none hit a recurring pattern');
  for (const miss of summary.nearMisses) {
    lines.push(`  ${when(miss.at)}  ${miss.rule}: ${miss.action} — ${miss.what}`);
    if (miss.pattern)
      lines.push(
        `    ${miss.pattern.covered ? '· inside a recurring pattern a window covers' : '⚠ inside a recurring pattern no window covers'}: ${miss.pattern.description}`,
      );
  }
  lines.push('', ...ruleTable(summary.rules));
  for (const rule of summary.rules) {
    const details = [
      rule.blockedBy.length > 0 &&
        `blocked by: ${rule.blockedBy.map((b) => `${b.reason} ×${b.count}`).join(', ')}`,
      rule.approvalBy.length > 0 &&
        `approver needed for: ${rule.approvalBy.map((a) => `${a.reason} ×${a.count}`).join(', ')}`,
      rule.unmet.length > 0 &&
        `did not match: ${rule.unmet.map((u) => `${u.condition} ×${u.count}`).join('; ')}`,
    ].filter((d): d is string => Boolean(d));
    if (details.length > 0) lines.push(`  ${rule.rule}`, ...details.map((d) => `    ${d}`));
  }
  const common = commonGaps(episodes);
  lines.push('', 'Episodes');
  for (const episode of episodes) lines.push(...episodeLines(episode, common));
  if (common.length > 0) {
    lines.push('', 'Not rebuilt, for every episode:');
    for (const gap of common) lines.push(`  - ${gap}`);
  }
  lines.push('', 'How this replay reads the past:');
  for (const assumption of report.assumptions) lines.push(`  - ${assumption}`);
  return lines;
}

function ruleTable(rules: readonly RuleReplay[]): string[] {
  const header = [
    'rule',
    'mode',
    'triggered',
    'matched',
    'would act (auto/suggest/approval)',
    'blocked',
    'forbidden',
    'stopped only by a window or limit',
    'in a pattern no window covers',
  ];
  const rows = rules.map((r) => [
    r.rule,
    r.mode,
    String(r.triggered),
    String(r.matched),
    `${r.wouldAct.auto + r.wouldAct.suggest + r.wouldAct.approval} (${r.wouldAct.auto}/${r.wouldAct.suggest}/${r.wouldAct.approval})`,
    String(r.blocked),
    String(r.forbidden),
    String(r.nearMisses),
    String(r.inUnconfiguredPattern),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function episodeLines(episode: ReplayedEpisode, common: readonly string[]): string[] {
  const until = episode.endedAt ? `until ${when(episode.endedAt).slice(11)}` : 'still firing at the end';
  const lines = [`▶ ${when(episode.startedAt)}  ${episode.alertName} ${episode.target} (${until})`];
  if (episode.decisions.length === 0) lines.push('    no replayed rule matches this alert');
  for (const d of episode.decisions) {
    const mark = d.disposition && d.kind !== 'did-not-apply' ? MARK[d.disposition] : '·';
    lines.push(
      `    ${mark} ${d.rule}: ${d.kind === 'did-not-apply' ? `did not match — ${d.unmet.map((u) => `${u.condition} (${u.detail})`).join('; ') || d.headline}` : d.headline}`,
    );
    if (d.pattern)
      lines.push(
        `      ${d.pattern.covered ? '·' : '⚠'} recurring pattern${d.pattern.covered ? ', covered by a window' : ', no window covers it'}: ${d.pattern.description}`,
      );
  }
  for (const c of episode.context) lines.push(`    · ${c}`);
  if (episode.pastOutcome) lines.push(`    · what really happened: ${episode.pastOutcome.summary}`);
  const own = episode.gaps.filter((g) => !common.includes(g));
  for (const gap of own) lines.push(`    ? not rebuilt: ${gap}`);
  return lines;
}

/** Gaps every episode shares, said once at the end rather than under each episode. */
function commonGaps(episodes: readonly ReplayedEpisode[]): string[] {
  const [first, ...rest] = episodes;
  if (!first || rest.length === 0) return [];
  return first.gaps.filter((g) => rest.every((e) => e.gaps.includes(g)));
}
