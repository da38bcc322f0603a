import type { Action, ExecutionPermit, PermitFields } from '../domain/index.ts';

/**
 * Mints a permit. Called by the execution gate after policy and audit; tests may mint one to drive an
 * executor directly. The architecture test fails if any other file under src/ calls it.
 */
export function issuePermit<A extends Action>(fields: PermitFields<A>): ExecutionPermit<A> {
  return Object.freeze({ ...fields }) as ExecutionPermit<A>;
}
