import type { OutcomeClassification } from '../decide/index.ts';
import type { ActionKind, ActionOutcome, OutcomeSettings } from '../domain/index.ts';

const ACTION_WORDS: Record<ActionKind, string> = {
  'restart-pod': 'the restart',
  'rollout-restart': 'the rollout restart',
  'rollback-deployment': 'the rollback',
  scale: 'the scaling',
  'patch-configmap': 'the ConfigMap change',
};

/** "the restart": how a thread line names what ran. */
export function actionWords(kind: ActionKind): string {
  return ACTION_WORDS[kind];
}

/** "3 min", "6 h", "45 s": how long, said the way people say it in a thread. */
export function spokenDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1_000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  const hours = ms / 3_600_000;
  return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
}

/** The thread's line once an outcome is known; undefined while it is pending. */
export function outcomeLine(
  outcome: Pick<ActionOutcome, 'alert' | 'actionWords'>,
  result: OutcomeClassification,
  settings: OutcomeSettings,
): string | undefined {
  const alert = outcome.alert.name;
  const resolved =
    result.resolvedAfterMs === undefined
      ? ''
      : `${alert} resolved ${spokenDuration(result.resolvedAfterMs)} after ${outcome.actionWords}`;
  switch (result.status) {
    case 'pending':
      return undefined;
    case 'fixed':
      return `Fixed: ${resolved}.`;
    case 'not-fixed':
      return `Did not fix: ${alert} was still firing ${spokenDuration(settings.resolveWithin)} after ${outcome.actionWords}. Look for another cause; doing the same again is unlikely to help.`;
    case 'postponed':
      return `Postponed: ${resolved}, but it came back ${spokenDuration(result.cameBackAfterMs ?? 0)} later. ${outcome.actionWords.replace(/^the/, 'The')} bought time; the cause is still there.`;
  }
}
