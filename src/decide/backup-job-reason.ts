import type { Reason, WindowOccurrence } from '../domain/index.ts';
import { describeAbout, describeReasonTime } from './reason-time.ts';

/** A backup Job seen in the cluster: what it does now, not what its schedule predicted. */
export function backupJobReason(
  w: WindowOccurrence,
  job: NonNullable<WindowOccurrence['job']>,
  source: string,
  now: Date,
): Reason {
  const since = describeReasonTime(job.startedAt, now);
  const recent =
    job.recentRunMs !== undefined
      ? `recent runs took ${describeAbout(job.recentRunMs)}`
      : 'no earlier run has finished';
  const from = `It comes from ${source}; acting now could cut off what it protects`;
  if (job.state === 'running') {
    return {
      rule: `window:${w.name}`,
      effect: 'blocked',
      // No `until`: nobody knows when it ends. Every decision reads the Job again.
      message: `backup job ${job.name} has been running since ${since} (${recent}) and has not finished. ${from}, so this may run once the Job ends and its margin has passed.`,
    };
  }
  const ended = job.endedAt ? ` at ${describeReasonTime(job.endedAt, now)}` : '';
  return {
    rule: `window:${w.name}`,
    effect: 'blocked',
    message: `backup job ${job.name} ${job.state === 'failed' ? 'failed' : 'finished'}${ended}; its window holds for a margin until ${describeReasonTime(w.end, now)}. ${from}.`,
    until: w.end,
  };
}
