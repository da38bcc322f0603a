/** Liveness: restarting the process would help. Readiness: it should not be sent work right now. */
export type Probe = 'liveness' | 'readiness';

/** A check's state now: ok, or failing with what is wrong and what to do about it. */
export type CheckState =
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly detail: string };

/** One named check; the probes it counts for, and how to read its state (cheap, synchronous). */
export interface HealthCheck {
  readonly name: string;
  readonly probes: readonly Probe[];
  state(): CheckState;
}

export interface CheckReport {
  readonly check: string;
  readonly ok: boolean;
  readonly probes: readonly Probe[];
  readonly detail?: string;
}

export interface HealthAnswer {
  readonly httpStatus: 200 | 503;
  readonly body: {
    readonly status: 'ok' | 'unhealthy' | 'ready' | 'unready';
    /** The failing checks this probe counts, each with what to do. */
    readonly problems: readonly { readonly check: string; readonly detail: string }[];
    /** Every check with its state, whether or not this probe counts it. */
    readonly checks: readonly CheckReport[];
  };
}

/** The probe's answer from the checks' states: 503 when any check the probe counts is failing. */
export function evaluateHealth(
  probe: Probe,
  states: readonly { readonly check: HealthCheck; readonly state: CheckState }[],
): HealthAnswer {
  const checks = states.map(({ check, state }) => ({
    check: check.name,
    ok: state.ok,
    probes: check.probes,
    ...(state.detail === undefined ? {} : { detail: state.detail }),
  }));
  const problems = states
    .filter(({ check, state }) => !state.ok && check.probes.includes(probe))
    .map(({ check, state }) => ({ check: check.name, detail: state.detail ?? 'failing' }));
  const healthy = problems.length === 0;
  const status = probe === 'liveness' ? (healthy ? 'ok' : 'unhealthy') : healthy ? 'ready' : 'unready';
  return { httpStatus: healthy ? 200 : 503, body: { status, problems, checks } };
}
