// Redaction lives in domain/ (every stage uses it); re-exported for the orient stage's callers.
export { isSecretKey, REDACTION_RULES, type RedactionRule, redact, redactDeep } from '../domain/index.ts';
export {
  createDailyTokenBudget,
  type DailyTokenBudget,
  DEFAULT_BUDGETS,
  estimateTokens,
  type OrientBudgets,
} from './budgets.ts';
export { type CandidateCheck, checkCandidate, incidentWorkload, outsideIncident } from './candidate.ts';
export { describeSpend } from './describe-spend.ts';
export {
  alertSignals,
  type DeterministicFindings,
  incidentSignals,
  orientDeterministically,
  RECENT_ROLLOUT_MS,
  RECENT_TERMINATION_MS,
} from './deterministic-orienter.ts';
export {
  type Findings,
  findingsJsonSchema,
  findingsWireSchema,
  parseFindings,
  SUBMIT_TOOL,
} from './findings.ts';
export { type FindingsRequest, findingsRequest, OUTPUT_MODES, type OutputMode } from './findings-request.ts';
export { type FindingsScope, findingsScope } from './findings-scope.ts';
export { incidentContext } from './incident-context.ts';
export { incidentTools } from './incident-tools.ts';
export { type ModelPort, runModelLoop } from './model-loop.ts';
export { createOpenAIClient, type OpenAIClientOptions } from './openai-client.ts';
export type {
  Evidence,
  OrientOrigin,
  OrientResult,
  Outcome,
  Rejection,
  Spend,
  UntrustedQuote,
} from './orient-result.ts';
export { NO_SPEND } from './orient-result.ts';
export {
  createOrienter,
  type Orienter,
  type OrienterDeps,
  type OrientInput,
  type QuestionInput,
  type ThreadTurn,
} from './orienter.ts';
export { loadPrompts, type Prompts, renderCatalog } from './prompts.ts';
export { findUntrustedQuotes } from './untrusted-quotes.ts';
