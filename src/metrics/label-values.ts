// Every label value Belay exports comes from a fixed set, so a cluster with ten thousand pods still yields a
// few hundred series: free text (a pod name, an error message, a rule someone deleted) maps to "other".
import { ACTION_KINDS, DISPOSITIONS } from '../domain/index.ts';

export const OTHER = 'other';

export const ALERT_SOURCES = ['alertmanager', 'pagerduty', 'slack'] as const;
/** What happened to one delivery at the intake. */
export const DELIVERY_RESULTS = [
  'accepted',
  'duplicate',
  'ignored',
  'invalid',
  'unauthorized',
  'too_large',
  'busy',
  'rejected',
] as const;
export const GATE_REFUSAL_REASONS = [
  'not_allowed',
  'policy',
  'rate_limit',
  'revert_refused',
  'switch',
] as const;
export const EXECUTION_OUTCOMES = [
  'succeeded',
  'dry-run-ok',
  'refused',
  'failed',
  'verification-failed',
  'interrupted',
] as const;
export const FALLBACK_REASONS = [
  'no_model',
  'token_budget',
  'time_budget',
  'model_error',
  'invalid_output',
] as const;
export const MODEL_CALL_OUTCOMES = ['ok', 'http_error', 'network_error'] as const;
export const SLACK_RETRY_REASONS = ['rate_limited', 'transient'] as const;

/** The value when it is one of the known ones, otherwise "other". */
export function bounded(value: unknown, known: readonly string[]): string {
  return typeof value === 'string' && known.includes(value) ? value : OTHER;
}

export const disposition = (value: unknown) => bounded(value, DISPOSITIONS);
export const actionKind = (value: unknown) => bounded(value, ACTION_KINDS);

/** Why the orienter fell back to its rules, from the sentence it wrote for people. */
export function fallbackReason(text: unknown): string {
  const t = String(text ?? '').toLowerCase();
  if (/no model is configured/.test(t)) return 'no_model';
  if (/token budget/.test(t)) return 'token_budget';
  if (/ran out of time|was cancelled|did not answer within/.test(t)) return 'time_budget';
  if (/valid findings|did not validate|kept calling tools/.test(t)) return 'invalid_output';
  if (/model endpoint|model call failed/.test(t)) return 'model_error';
  return OTHER;
}
