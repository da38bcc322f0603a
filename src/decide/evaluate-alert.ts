import type { Alert, Facts, Policy, Rule, Verdict } from '../domain/index.ts';
import { type Candidate, decide } from './decide.ts';
import { requestFromRule, rulesTriggeredBy } from './rule-request.ts';

export type RuleOutcome =
  | { readonly rule: Rule; readonly candidate: Candidate; readonly verdict: Verdict }
  | { readonly rule: Rule; readonly problem: string };

/**
 * Every rule an alert triggers, each turned into a candidate and decided. The same path serves the live
 * incident pipeline and `belay simulate`, so a simulation shows exactly what production would do.
 */
export function evaluateAlert(policy: Policy, alert: Alert, facts: Facts, now: Date): RuleOutcome[] {
  return rulesTriggeredBy(policy.rules, alert).map((rule) => {
    const built = requestFromRule(rule, alert, facts);
    if ('problem' in built) return { rule, problem: built.problem };
    const candidate: Candidate = { request: built.request, origin: { type: 'rule', rule: rule.name }, alert };
    const verdict = decide(policy, candidate, facts, now);
    // A dry-run rule exists to show what it would have done; when its conditions fail it would have done nothing.
    if (verdict.dryRun && verdict.rule && !verdict.rule.applies) {
      const unmet = verdict.rule.conditions.filter((c) => !c.met).map((c) => `${c.condition}: ${c.detail}`);
      return { rule, problem: `dry run: would not have fired (${unmet.join('; ')})` };
    }
    return { rule, candidate, verdict };
  });
}
