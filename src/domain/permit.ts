import type { Action } from './action.ts';
import type { Verdict } from './verdict.ts';

declare const permitBrand: unique symbol;

/**
 * The only value an executor accepts. Only the execution gate (govern/) mints one, after policy allowed
 * the action with fresh facts and the audit record "execution.started" was written; any other path to a
 * cluster write is a type error, and the architecture test checks nobody else mints it.
 */
export type ExecutionPermit<A extends Action = Action> = PermitFields<A> & { readonly [permitBrand]: true };

export interface PermitFields<A extends Action = Action> {
  readonly proposalId: string;
  readonly incidentId: string;
  readonly action: A;
  readonly verdict: Verdict;
  /** Server-side dry run only (dryRun=All): nothing is persisted. */
  readonly dryRunOnly: boolean;
  readonly issuedAt: string;
}
