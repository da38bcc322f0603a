export { classifyOutcome, type OutcomeClassification } from './classify-outcome.ts';
export { alertClauseMatches, evaluateConditions } from './conditions.ts';
export { type Candidate, decide } from './decide.ts';
export { evaluateAlert, type RuleOutcome } from './evaluate-alert.ts';
export { namespaceClassOf } from './namespace-class.ts';
export { noveltyKey } from './novelty.ts';
export {
  promotionRefusals,
  type RuleRecordInput,
  type RuleRecordSummary,
  summarizeRuleRecord,
} from './promotion-check.ts';
export {
  budgetsAdmit,
  type CountedEntry,
  describeRateLimit,
  ledgerEntryFor,
  observedRestartEntries,
  rateBudgets,
  rateKeys,
} from './rate-limit.ts';
export { ATTRIBUTION_MS, restartHorizonMs, type TargetRestart, targetRestarts } from './restarts.ts';
export { ruleInForce } from './rule-in-force.ts';
export { requestFromRule, rulesTriggeredBy } from './rule-request.ts';
