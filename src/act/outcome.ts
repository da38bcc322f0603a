import type { ActionKind, ActionOf } from '../domain/index.ts';
import type { RevertSnapshot } from './revert-snapshot.ts';

export const EXECUTION_STATUSES = [
  'succeeded',
  'dry-run-ok',
  'refused',
  'failed',
  'verification-failed',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** What an executor did, as a value: executors never throw. */
export interface ExecutionOutcome {
  readonly status: ExecutionStatus;
  /** What happened, why, and what to do next, for the engineer on call. */
  readonly message: string;
  /** Present once the cluster was changed and the action has an inverse. */
  readonly revert?: RevertSnapshot;
  readonly httpStatus?: number;
  /** The API server's Status reason (`NotFound`, `Forbidden`, `DisruptionBudget`, …) or Belay's own. */
  readonly reason?: string;
  readonly verification?: { readonly ok: boolean; readonly detail: string; readonly waitedMs: number };
}

/** Thrown inside an executor to stop with an outcome; the executor boundary turns it back into a value. */
export class ExecutionStop extends Error {
  readonly outcome: ExecutionOutcome;
  constructor(outcome: ExecutionOutcome) {
    super(outcome.message);
    this.outcome = outcome;
  }
}

export function refuse(message: string, reason: string): never {
  throw new ExecutionStop({ status: 'refused', message, reason });
}

/** One execution as the executors see it: the permit's action (or, for a revert, its inverse). */
export interface Job<K extends ActionKind> {
  readonly action: ActionOf<K>;
  readonly dryRunOnly: boolean;
  readonly proposalId: string;
}
