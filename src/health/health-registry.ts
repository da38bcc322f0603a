import {
  type CheckState,
  evaluateHealth,
  type HealthAnswer,
  type HealthCheck,
  type Probe,
} from './health-check.ts';

/** The named checks of one process: the composition root and the parts it builds add theirs. */
export interface HealthRegistry {
  /** Adds a check; a second check of the same name is a wiring bug and throws. */
  add(check: HealthCheck): void;
  /** Every check with its state now, in the order they were added. */
  states(): { readonly check: HealthCheck; readonly state: CheckState }[];
  answer(probe: Probe): HealthAnswer;
}

export function createHealthRegistry(): HealthRegistry {
  const checks: HealthCheck[] = [];
  const states = () =>
    checks.map((check) => {
      let state: CheckState;
      try {
        state = check.state();
      } catch (error) {
        // A check that throws is a failing check, not a failed probe: the body still says which one.
        state = { ok: false, detail: `the ${check.name} check failed: ${(error as Error).message}` };
      }
      return { check, state };
    });
  return {
    add(check) {
      if (checks.some((c) => c.name === check.name))
        throw new Error(`a health check named ${check.name} is already registered`);
      checks.push(check);
    },
    states,
    answer: (probe) => evaluateHealth(probe, states()),
  };
}
