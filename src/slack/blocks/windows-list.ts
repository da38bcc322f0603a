import type { WindowOccurrence } from '../../domain/index.ts';
import { escapeText, utcTime } from './limits.ts';

/** `• backup postgres-nightly-backup 02:00–02:45 UTC (cronjob databases/pg-backup)`. */
export function windowLines(windows: readonly WindowOccurrence[], now?: Date): string[] {
  return windows.map((w) => {
    const blocks = w.blocks === 'all' ? 'blocks every action' : `blocks ${w.blocks.join(', ')}`;
    return `• ${w.kind} *${escapeText(w.name)}* ${utcTime(w.start, now)} – ${utcTime(w.end, now)}, ${blocks} _(${w.source.type} ${escapeText(w.source.ref)})_`;
  });
}
