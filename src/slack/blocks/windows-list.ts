import type { WindowOccurrence } from '../../domain/index.ts';
import { escapeText, utcTime } from './limits.ts';

/** `• backup postgres-nightly-backup 02:00–02:45 UTC (cronjob databases/pg-backup)`. */
export function windowLines(windows: readonly WindowOccurrence[], now?: Date): string[] {
  return windows.map((w) => {
    const blocks = w.blocks === 'all' ? 'blocks every action' : `blocks ${w.blocks.join(', ')}`;
    // A running backup Job has no known end yet.
    const end =
      w.job?.state === 'running' ? `still running (Job ${escapeText(w.job.name)})` : utcTime(w.end, now);
    return `• ${w.kind} *${escapeText(w.name)}* ${utcTime(w.start, now)} – ${end}, ${blocks} _(${w.source.type} ${escapeText(w.source.ref)})_`;
  });
}
