export { alertClauseMatches, evaluateConditions } from './conditions.ts';
export { type Candidate, decide } from './decide.ts';
export { evaluateAlert, type RuleOutcome } from './evaluate-alert.ts';
export { namespaceClassOf } from './namespace-class.ts';
export { noveltyKey } from './novelty.ts';
export { budgetsAdmit, ledgerEntryFor, rateBudgets, rateKeys } from './rate-limit.ts';
export { requestFromRule, rulesTriggeredBy } from './rule-request.ts';
