import { type Candidate, decide, type RuleOutcome } from '../decide/index.ts';
import type { Facts, Policy, Verdict } from '../domain/index.ts';
import type { OrientResult } from '../orient/index.ts';

/**
 * What an investigation leads to: the operator's own rules come first (a rule that may act before one
 * that forbids); the investigation's proposal is used, and decided, only when no rule has one.
 */
export function chooseCandidate(
  policy: Policy,
  outcomes: readonly RuleOutcome[],
  orientation: OrientResult,
  facts: Facts,
  now: Date,
): { candidate: Candidate; verdict: Verdict } | undefined {
  const live = outcomes.filter(
    (o): o is Extract<RuleOutcome, { verdict: Verdict }> => 'verdict' in o && !o.verdict.dryRun,
  );
  const rule = live.find((o) => o.verdict.disposition !== 'forbidden') ?? live[0];
  if (rule) return { candidate: rule.candidate, verdict: rule.verdict };
  if (orientation.outcome.type !== 'proposal') return undefined;
  const origin =
    orientation.origin.type === 'model'
      ? { type: 'model' as const, promptVersion: orientation.promptVersion }
      : { type: 'deterministic' as const, rule: orientation.origin.rule };
  const candidate: Candidate = { request: orientation.outcome.action, origin };
  return { candidate, verdict: decide(policy, candidate, facts, now) };
}
