export { alertClauseMatches, evaluateConditions } from './conditions.ts';
export { type Candidate, decide } from './decide.ts';
export { evaluateAlert, type RuleOutcome } from './evaluate-alert.ts';
export { namespaceClassOf } from './namespace-class.ts';
export { noveltyKey } from './novelty.ts';
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
export { requestFromRule, rulesTriggeredBy } from './rule-request.ts';
