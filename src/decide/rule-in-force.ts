import type { Facts, Policy, Rule } from '../domain/index.ts';

/**
 * The policy file's rule with the mode it runs in now: an operator's promotion or Belay's demotion (kept in
 * the state, read into the facts) overrides the file's mode; the conditions and action stay the file's.
 */
export function ruleInForce(policy: Pick<Policy, 'rules'>, facts: Pick<Facts, 'ruleModes'>, name: string) {
  const rule: Rule | undefined = policy.rules.find((r) => r.name === name);
  const mode = facts.ruleModes?.[name];
  return rule && mode && mode !== rule.mode ? { ...rule, mode } : rule;
}
