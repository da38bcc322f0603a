export { isSecretKey, redact, redactDeep } from './redact.ts';
export { REDACTION_RULES, type RedactionRule } from './redaction-patterns.ts';
