import { evaluateAlert, ledgerEntryFor } from '../../decide/index.ts';
import {
  type Alert,
  alertSubject,
  classifyActionRequest,
  describeAction,
  type Facts,
  type LedgerEntry,
  type Policy,
  type Reason,
  type RecurringPattern,
  type Verdict,
} from '../../domain/index.ts';
import { patternCaution } from '../../observe/patterns/index.ts';
import type {
  BlockKind,
  EpisodeFacts,
  PastOutcome,
  PatternFlag,
  ReplayDecision,
  ReplayEpisode,
  ReplayedEpisode,
} from './replay-types.ts';

export interface ReplayDeps {
  readonly policy: Policy;
  /** The target's facts at the episode's start, rebuilt from history; the replay adds its own ledger. */
  readonly factsAt: (episode: ReplayEpisode) => Promise<EpisodeFacts>;
  /** Recurring patterns found over the period (the detector behind `belay windows suggest`). */
  readonly patterns?: readonly RecurringPattern[];
  /** What a real past action on this alert led to; the seam for the outcome classifier. */
  readonly pastOutcome?: (episode: ReplayEpisode) => PastOutcome | undefined;
}

/**
 * The policy replayed over past alerts, in time order, through the same evaluateAlert the bot decides with.
 * Each episode is decided at its start on the facts rebuilt for that instant, with a rate ledger that only
 * the replay's own would-be actions fill (every action the policy would have let through, or put before a
 * human, is assumed to have run: the worst case, and what a rule without a human would have done).
 */
export async function replayEpisodes(
  deps: ReplayDeps,
  episodes: readonly ReplayEpisode[],
): Promise<ReplayedEpisode[]> {
  const ordered = [...episodes].sort((a, b) => a.startMs - b.startMs);
  const ledger: LedgerEntry[] = [];
  const replayed: ReplayedEpisode[] = [];
  for (const [index, episode] of ordered.entries()) {
    const at = new Date(episode.startMs);
    const rebuilt = await deps.factsAt(episode);
    const inPattern = patternAt(deps.patterns, rebuilt.facts, at);
    // The caution the bot's facts carry when the target is inside a pattern no window covers, so the real
    // policy says so (and holds an auto rule back) in the replay as it does live.
    const facts: Facts = {
      ...rebuilt.facts,
      ledger: [...ledger],
      ...(inPattern && !inPattern.covered ? { recurringPattern: inPattern.caution } : {}),
    };
    const decisions: ReplayDecision[] = [];
    for (const outcome of evaluateAlert(deps.policy, episode.alert, facts, at)) {
      if ('problem' in outcome) {
        decisions.push({
          rule: outcome.rule.name,
          mode: outcome.rule.mode,
          kind: outcome.problem.startsWith('dry run: would not have fired') ? 'did-not-apply' : 'no-target',
          headline: outcome.problem,
          blockedBy: [],
          approvalBy: [],
          unmet: [],
          nearMiss: false,
        });
        continue;
      }
      const classified = classifyActionRequest(outcome.candidate.request);
      const action = classified.type === 'action' ? classified.action : undefined;
      const decision = classify(
        outcome.rule.name,
        outcome.rule.mode,
        outcome.verdict,
        action && describeAction(action),
      );
      const flagged = inPattern && (decision.kind === 'would-act' || decision.kind === 'blocked');
      decisions.push(flagged ? { ...decision, pattern: inPattern.flag } : decision);
      if (decision.kind === 'would-act' && action)
        ledger.push(ledgerEntryFor(action, facts.owner, `replay-${index + 1}`, at));
    }
    const past = deps.pastOutcome?.(episode);
    replayed.push({
      alertName: episode.alert.name,
      labels: episode.alert.labels,
      target: targetText(episode.alert, facts),
      startedAt: at.toISOString(),
      ...(episode.endMs !== undefined ? { endedAt: new Date(episode.endMs).toISOString() } : {}),
      decidedAt: at.toISOString(),
      decisions,
      gaps: rebuilt.gaps,
      context: rebuilt.context,
      ...(past ? { pastOutcome: past } : {}),
    });
  }
  return replayed;
}

function classify(
  rule: string,
  mode: ReplayDecision['mode'],
  verdict: Verdict,
  action: string | undefined,
): ReplayDecision {
  const applies = verdict.rule?.applies ?? false;
  const blockedBy = verdict.reasons
    .filter((r) => r.effect === 'blocked')
    .map((r) => ({ rule: r.rule, kind: blockKind(r), message: r.message }));
  const approvalBy = verdict.reasons
    .filter((r) => r.effect === 'approval' && !r.rule.startsWith('rule:'))
    .map((r) => r.rule);
  const unmet = (verdict.rule?.conditions ?? [])
    .filter((c) => !c.met)
    .map((c) => ({ condition: c.condition, detail: c.detail }));
  const kind: ReplayDecision['kind'] = !applies
    ? 'did-not-apply'
    : verdict.disposition === 'forbidden'
      ? 'forbidden'
      : verdict.disposition === 'blocked'
        ? 'blocked'
        : 'would-act';
  const nearMiss =
    kind === 'blocked' && blockedBy.every((b) => b.kind === 'window' || b.kind === 'rate limit');
  return {
    rule,
    mode,
    kind,
    disposition: verdict.disposition,
    headline: verdict.headline,
    ...(action ? { action } : {}),
    blockedBy,
    approvalBy,
    unmet,
    nearMiss,
  };
}

export function blockKind(reason: Pick<Reason, 'rule'>): BlockKind {
  if (reason.rule.startsWith('window:')) return 'window';
  if (reason.rule.startsWith('rate-limit:')) return 'rate limit';
  if (reason.rule === 'freeze') return 'freeze';
  if (reason.rule === 'pause') return 'pause';
  if (reason.rule.startsWith('calendar:')) return 'calendar';
  return 'other';
}

/** The pattern the target is inside at `at`, whether or not a window covers it, as the bot's caution finds it. */
function patternAt(patterns: readonly RecurringPattern[] | undefined, facts: Facts, at: Date) {
  if (!patterns || patterns.length === 0) return undefined;
  // Asked without windows, so a covered pattern is found too; the replay reports both kinds.
  const caution = patternCaution(patterns, { ...facts, windows: [] }, at);
  if (!caution) return undefined;
  const ms = at.getTime();
  const covered = facts.windows.some((w) => Date.parse(w.start) <= ms && ms < Date.parse(w.end));
  const cronJob = caution.pattern.coincidingCronJob;
  const flag: PatternFlag & { covered: boolean } = {
    description: caution.description,
    ...(cronJob ? { cronJob: { ...cronJob } } : {}),
    covered,
  };
  return { caution, covered, flag };
}

function targetText(alert: Alert, facts: { namespace: string }): string {
  const subject = alertSubject(alert);
  const name = subject.pod ?? subject.workload?.name;
  return `${subject.namespace ?? facts.namespace}${name ? `/${name}` : ''}`;
}
