import type { Facts, SelectorSubject, WindowOccurrence } from '../../domain/index.ts';
import type { CalendarWindow } from './calendar-window.ts';
import { windowStatusAt } from './window-status-at.ts';

/** What a window's selector is matched against, from the facts about a target: its pod, workload and labels. */
export function subjectOfFacts(
  facts: Pick<Facts, 'cluster' | 'namespace' | 'pod' | 'owner'>,
): SelectorSubject {
  const names = [facts.pod?.name, facts.owner?.name].filter((n): n is string => Boolean(n));
  return { cluster: facts.cluster, namespace: facts.namespace, names, labels: facts.pod?.labels ?? {} };
}

/** The occurrences to put in a target's facts: those covering `at`, and those chained onto them. */
export function targetWindows(
  windows: readonly CalendarWindow[],
  facts: Pick<Facts, 'cluster' | 'namespace' | 'pod' | 'owner'>,
  at: Date,
): WindowOccurrence[] {
  const status = windowStatusAt(windows, subjectOfFacts(facts), at);
  return [...status.covering, ...status.chained];
}
