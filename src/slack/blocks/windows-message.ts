import type { WindowsReport } from '../../govern/service.ts';
import { escapeText, message, type SlackMessage, section } from './limits.ts';
import { windowLines } from './windows-list.ts';

/** `/remediate windows [target]`: the windows open now and the next ones. */
export function windowsMessage(report: WindowsReport, now?: Date): SlackMessage {
  const t = report.target;
  const forWhat = t
    ? ` for ${escapeText(`${t.cluster ? `${t.cluster}:` : ''}${t.namespace}/${t.name}`)}`
    : '';
  const open = windowLines(report.open, now);
  const next = windowLines(report.next, now);
  return message(`${open.length} windows open${forWhat}, ${next.length} coming`, [
    section(
      `*Open now${forWhat}*\n${open.length ? open.join('\n') : '_none: nothing is held back by a window_'}`,
    ),
    section(`*Next${forWhat}*\n${next.length ? next.join('\n') : '_none in sight_'}`),
  ]);
}
