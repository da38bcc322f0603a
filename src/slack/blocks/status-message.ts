import type { SwitchState } from '../../domain/index.ts';
import { describeAction } from '../../domain/index.ts';
import type { StatusReport } from '../../govern/service.ts';
import { escapeText, message, type SlackMessage, section, utcTime } from './limits.ts';
import { escapeKeepingMentions } from './verdict-text.ts';
import { windowLines } from './windows-list.ts';

const MAX_LISTED = 20;

/** `/remediate status`: what is open, what waits for a human, whether anything stops execution. */
export function statusMessage(report: StatusReport, now?: Date): SlackMessage {
  const incidents = report.openIncidents.map(
    (i) =>
      `• *${escapeText(i.title)}* — ${escapeText(`${i.cluster}:${i.namespace}`)} since ${utcTime(i.openedAt, now)} \`${escapeText(i.id)}\``,
  );
  const pending = report.pendingProposals.map(
    (p) =>
      `• ${escapeText(describeAction(p.action))} — ${p.state}, expires ${utcTime(p.expiresAt, now)} \`${escapeText(p.id)}\``,
  );
  const blocks = [
    section(`${switchLine('Freeze', report.freeze, now)}\n${switchLine('Pause', report.pause, now)}`),
    section(`*Open incidents (${incidents.length})*\n${listed(incidents, 'none')}`),
    section(`*Pending proposals (${pending.length})*\n${listed(pending, 'none')}`),
    section(`*Next windows*\n${listed(windowLines(report.nextWindows, now), 'none in sight')}`),
    ...ruleModeSection(report, now),
  ];
  const text = `${report.openIncidents.length} open incidents, ${report.pendingProposals.length} pending proposals; freeze ${report.freeze.active ? 'ON' : 'off'}, pause ${report.pause.active ? 'ON' : 'off'}`;
  return message(text, blocks);
}

function switchLine(name: string, state: SwitchState, now?: Date): string {
  if (!state.active) return `*${name}:* off`;
  const by = state.by ? ` by <@${state.by}>` : '';
  const since = state.since ? ` since ${utcTime(state.since, now)}` : '';
  const until = state.until ? ` until ${utcTime(state.until, now)}` : ' until switched off';
  const reason = state.reason ? ` — ${state.reason}` : '';
  return escapeKeepingMentions(`:rotating_light: *${name}: ON*${by}${since}${until}${reason}`);
}

function listed(lines: string[], empty: string): string {
  if (lines.length === 0) return `_${empty}_`;
  const shown = lines.slice(0, MAX_LISTED);
  return `${shown.join('\n')}${lines.length > MAX_LISTED ? `\n_…and ${lines.length - MAX_LISTED} more_` : ''}`;
}

/** Rules running in another mode than their policy file's: promoted by an operator or demoted by Belay. */
function ruleModeSection(report: StatusReport, now?: Date) {
  const lines = (report.ruleModes ?? []).map((o) => {
    const by = o.by.type === 'user' ? `<@${o.by.id}>` : 'Belay';
    return escapeKeepingMentions(
      `• rule ${o.rule}: ${o.mode} (${o.change} from ${o.previous} by ${by} at ${utcTime(o.at, now)}: ${o.why})`,
    );
  });
  return lines.length > 0
    ? [section(`*Rule modes set in Belay's state (${lines.length})*\n${listed(lines, 'none')}`)]
    : [];
}
