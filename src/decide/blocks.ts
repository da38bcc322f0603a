import { type Action, CLUSTER_FACTS_SOURCE, type Facts, type Reason } from '../domain/index.ts';
import { backupJobReason } from './backup-job-reason.ts';
import { instant, isOpenAt } from './instant.ts';
import { describeReasonTime } from './reason-time.ts';

/** Blocks hold whatever the tier: windows, freeze, pause, unreachable calendars. */
export function blocks(action: Action, facts: Facts, now: Date): Reason[] {
  const reasons: Reason[] = [];
  const t = now.getTime();
  if (facts.pause.active) {
    reasons.push({
      rule: 'pause',
      effect: 'blocked',
      message: `Execution is paused${facts.pause.by ? ` by <@${facts.pause.by}>` : ''}${facts.pause.reason ? ` (${facts.pause.reason})` : ''}: nothing runs until someone runs /remediate resume.`,
      ...(facts.pause.until ? { until: facts.pause.until } : {}),
    });
  }
  if (facts.freeze.active) {
    reasons.push({
      rule: 'freeze',
      effect: 'blocked',
      message: `A security freeze is in force${facts.freeze.reason ? `: ${facts.freeze.reason}` : ''}. Nothing is changed while it holds, so evidence is kept.`,
      ...(facts.freeze.until ? { until: facts.freeze.until } : {}),
    });
  }
  const at = instant(t);
  for (const w of facts.windows) {
    if (!isOpenAt(w, at)) continue;
    if (w.blocks !== 'all' && !w.blocks.includes(action.kind)) continue;
    if (w.job) {
      reasons.push(backupJobReason(w, w.job, sourceText(w.source), now));
      continue;
    }
    reasons.push({
      rule: `window:${w.name}`,
      effect: 'blocked',
      message: `Inside ${w.kind} window ${w.name} until ${describeReasonTime(w.end)}. The window comes from ${sourceText(w.source)}; acting now could cut off what it protects, so this may run after it closes.`,
      until: w.end,
    });
  }
  for (const problem of facts.calendarProblems.filter((p) => p.failClosed)) {
    if (problem.source === CLUSTER_FACTS_SOURCE) {
      reasons.push({
        rule: 'facts:kubernetes',
        effect: 'blocked',
        message: `Could not read cluster ${facts.cluster} (${problem.message}), so Belay cannot see running backups, windows or recent restarts there and acts on nothing. Check Belay's read access (kubeconfig, RBAC), then ask again.`,
      });
      continue;
    }
    reasons.push({
      rule: `calendar:${problem.source}`,
      effect: 'blocked',
      message: `Could not read the ${problem.source} calendar (${problem.message}), so Belay assumes a window is open. Check that source, or set it to fail open.`,
    });
  }
  return reasons;
}

function sourceText(source: Facts['windows'][number]['source']): string {
  switch (source.type) {
    case 'config':
      return `the policy file, ${source.ref}`;
    case 'cronjob':
      return `backup CronJob ${source.ref}`;
    case 'backup-job':
      return `backup Job ${source.ref}, which carries belay.io/backup-for itself`;
    case 'alertmanager-silence':
      return `Alertmanager silence ${source.ref}`;
    case 'pagerduty':
      return `PagerDuty maintenance ${source.ref}`;
    case 'unreachable-calendar':
      return source.ref;
  }
}
