import type { Alert, ConditionResult, Facts, Matcher, Rule } from '../domain/index.ts';
import { formatDuration, formatMatcher, matcherMatches, matchesGlob } from '../domain/index.ts';
import { instant, isOpenAt } from './instant.ts';
import { describeReasonTime } from './reason-time.ts';
import { targetRestarts } from './restarts.ts';

type Conditions = Rule['when'];

/** Does the rule's alert clause match this alert? This is what makes a rule fire at all. */
export function alertClauseMatches(clause: Conditions['alert'], alert: Alert): boolean {
  if (clause.name !== undefined && !matchesGlob(alert.name, clause.name)) return false;
  return clause.matchers.every((m: Matcher) => matcherMatches(m, alert.labels));
}

function ago(now: Date, iso: string): string {
  return `${formatDuration(now.getTime() - Date.parse(iso))} ago`;
}

/** True when the series stayed strictly above (or below) the threshold for the whole of the last `forMs`. */
function heldFor(
  samples: Facts['metrics'][number]['samples'],
  now: Date,
  forMs: number,
  test: (v: number) => boolean,
) {
  const from = now.getTime() - forMs;
  const ordered = [...samples]
    .filter((s) => Date.parse(s.at) <= now.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // The sample in force at the start of the period must exist, or we cannot say it held for the whole period.
  const startIndex = ordered.findLastIndex((s) => Date.parse(s.at) <= from);
  if (startIndex < 0) return { held: false, why: 'not enough history' };
  const period = ordered.slice(startIndex);
  const broken = period.find((s) => !test(s.value));
  return broken
    ? { held: false, why: `was ${formatValue(broken.value)} at ${describeReasonTime(broken.at)}` }
    : { held: true, why: '' };
}

/** Each of the rule's conditions, evaluated on the facts at `now`, with what was seen. */
export function evaluateConditions(
  rule: Rule,
  alert: Alert | undefined,
  facts: Facts,
  namespaceClass: string,
  now: Date,
): ConditionResult[] {
  const when = rule.when;
  const results: ConditionResult[] = [];
  const add = (condition: string, met: boolean, detail: string) => results.push({ condition, met, detail });

  const alertText = [when.alert.name, ...when.alert.matchers.map(formatMatcher)].filter(Boolean).join(' ');
  if (!alert) add(`alert ${alertText}`, false, 'no alert behind this request');
  else
    add(
      `alert ${alertText}`,
      alertClauseMatches(when.alert, alert),
      `alert ${alert.name} is ${alert.status}`,
    );

  if (when.firingFor !== undefined) {
    const firing =
      alert && alert.status === 'firing' && now.getTime() - Date.parse(alert.startsAt) >= when.firingFor;
    add(
      `firing for ${formatDuration(when.firingFor)}`,
      Boolean(firing),
      alert ? `firing since ${alert.startsAt}` : 'no alert',
    );
  }

  if (when.metric) {
    const m = when.metric;
    const series = facts.metrics.find((s) => s.name === m.name);
    const bound = [
      m.above !== undefined && `above ${formatValue(m.above)}`,
      m.below !== undefined && `below ${formatValue(m.below)}`,
    ];
    const label = `${m.name} ${bound.filter(Boolean).join(' and ')} for ${formatDuration(m.for)}`;
    if (!series || series.samples.length === 0)
      add(label, false, `no samples of ${m.name}${series?.problem ? ` (${series.problem})` : ''}`);
    else {
      const test = (v: number) =>
        (m.above === undefined || v > m.above) && (m.below === undefined || v < m.below);
      const { held, why } = heldFor(series.samples, now, m.for, test);
      const latest = series.samples.at(-1);
      add(label, held, held ? `latest ${formatValue(latest?.value ?? 0)}` : why);
    }
  }

  if (when.notInWindow) {
    const at = instant(now.getTime());
    const inside = facts.windows.filter((w) => isOpenAt(w, at));
    add(
      'not inside a maintenance or backup window',
      inside.length === 0,
      inside.length === 0
        ? 'no window open'
        : `inside ${inside.map((w) => `${w.name} until ${describeReasonTime(w.end)}`).join(', ')}`,
    );
  }

  if (when.notRestartedWithin !== undefined) {
    // Every restart of the target, whoever did it: the container, a person or controller recreating the
    // pod, a rolling restart or new revision of its workload, Belay's own actions.
    const latest = targetRestarts(facts, now, when.notRestartedWithin)[0];
    add(
      `not restarted within ${formatDuration(when.notRestartedWithin)}`,
      !latest,
      latest ? latest.description : 'no restart in that period',
    );
  }

  const rolledOutAgo = facts.lastRolloutAt ? now.getTime() - Date.parse(facts.lastRolloutAt) : undefined;
  if (when.rolledOutWithin !== undefined) {
    const met = rolledOutAgo !== undefined && rolledOutAgo <= when.rolledOutWithin;
    add(
      `rolled out within ${formatDuration(when.rolledOutWithin)}`,
      met,
      facts.lastRolloutAt ? `rolled out ${ago(now, facts.lastRolloutAt)}` : 'no rollout known',
    );
  }
  if (when.notRolledOutWithin !== undefined) {
    const met = rolledOutAgo === undefined || rolledOutAgo > when.notRolledOutWithin;
    add(
      `not rolled out within ${formatDuration(when.notRolledOutWithin)}`,
      met,
      facts.lastRolloutAt ? `rolled out ${ago(now, facts.lastRolloutAt)}` : 'no rollout known',
    );
  }

  if (when.namespaceClass) add(...listCondition('namespace class', when.namespaceClass, namespaceClass));
  if (when.workloadKind)
    add(...listCondition('workload kind', when.workloadKind, facts.owner?.kind ?? 'Pod'));
  return results;
}

function listCondition(
  what: string,
  clause: { in?: string[]; notIn?: string[] },
  actual: string,
): [string, boolean, string] {
  const okIn = clause.in ? clause.in.includes(actual) : true;
  const okNotIn = clause.notIn ? !clause.notIn.includes(actual) : true;
  const label = [
    clause.in && `${what} in [${clause.in.join(', ')}]`,
    clause.notIn && `${what} not in [${clause.notIn.join(', ')}]`,
  ]
    .filter(Boolean)
    .join(' and ');
  return [label, okIn && okNotIn, `${what} is ${actual}`];
}

/** 6200000000 → 6.2G: thresholds are compared in plain numbers but read in the units people write. */
function formatValue(value: number): string {
  for (const [suffix, size] of [
    ['T', 1e12],
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const) {
    if (Math.abs(value) >= size) return `${Number((value / size).toFixed(2))}${suffix}`;
  }
  return `${Number(value.toFixed(3))}`;
}
