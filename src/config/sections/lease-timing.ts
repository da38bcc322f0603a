// How leader election paces itself, and the checks client-go's NewLeaderElector makes on it: the config
// refuses timings under which a standby could take over while the leader still believes it leads.

export interface ElectionTiming {
  /** How long a standby waits, from the last change it saw, before taking over. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up; below leaseDurationMs. */
  readonly renewDeadlineMs: number;
  /** Time between attempts, to acquire or to renew. */
  readonly retryPeriodMs: number;
}

/** client-go's checks (NewLeaderElector): the deadlines must nest or leadership can overlap. */
export function electionTimingProblems(t: ElectionTiming): string[] {
  const problems: string[] = [];
  if (!(t.retryPeriodMs > 0)) problems.push('retryPeriod must be above zero');
  if (!(t.renewDeadlineMs > t.retryPeriodMs)) problems.push('renewDeadline must be longer than retryPeriod');
  if (!(t.leaseDurationMs > t.renewDeadlineMs))
    problems.push(
      'leaseDuration must be longer than renewDeadline, or a standby could take over while the leader still writes',
    );
  if (t.leaseDurationMs % 1000 !== 0)
    problems.push('leaseDuration must be whole seconds (a Lease counts seconds)');
  return problems;
}
