import { CronJob } from 'cron';
import { type Actor, type Clock, describeAction, type Proposal } from '../domain/index.ts';
import type { AuditLog, StateStore } from './store/index.ts';
import { buildWeeklyDigest, DIGEST_PERIOD_MS, readAuditPeriod, type WeeklyDigest } from './weekly-digest.ts';

/** Every 30 seconds (cron's optional seconds field): a proposal outlives its expiry by at most that. */
export const EXPIRY_SWEEP_CRON = '*/30 * * * * *';

/**
 * How long a proposal may sit in `approved` before the sweep treats the approval as abandoned. The gate moves
 * an approval to `executing` within one audit write; one still `approved` after this was cut off (an error
 * between the two steps) and must not keep its rate-limit slot or look pending forever.
 */
export const DEFAULT_APPROVED_GRACE_MS = 5 * 60_000;

const SWEEPER: Actor = { type: 'system', id: 'expiry-sweep' };
const SCHEDULER: Actor = { type: 'system', id: 'schedule' };

export interface DigestSchedule {
  /** Cron expression (5 fields, or 6 with seconds), evaluated in `timezone`: slack.digest.schedule. */
  readonly schedule: string;
  /** IANA time zone: slack.digest.timezone. */
  readonly timezone: string;
  /** Posts the digest (main wires it to the Slack message builder and the digest channel). */
  readonly post: (digest: WeeklyDigest) => Promise<void>;
  /** How far back each digest looks; a week unless the schedule says otherwise. */
  readonly periodMs?: number;
}

export interface ScheduleDeps {
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Absent when slack.digest is not configured: no digest job is registered. */
  readonly digest?: DigestSchedule;
  /** Told about each proposal the sweep expired, after the audit record (main updates its Slack message). */
  readonly onExpired: (proposal: Proposal) => Promise<void>;
  /** A job failed; it is also in the audit log. Main passes its logger. */
  readonly onError?: (job: JobName, error: unknown) => void;
  readonly approvedGraceMs?: number;
  /**
   * What the sweep forgets, so the state file stays small: ledger entries older than the longest rate-limit
   * window, and finished proposals and resolved incidents older than `historyMs` (the audit keeps them).
   */
  readonly retention?: { readonly ledgerMs: number; readonly historyMs: number };
}

export type JobName = 'weekly-digest' | 'expiry-sweep';

export interface ScheduledJobs {
  /** Counts the period ending at `now` and posts it; resolves to what was posted. */
  runDigest(now: Date): Promise<WeeklyDigest>;
  /** Expires what is due at `now`; resolves to the proposals this call expired (never one twice). */
  sweepExpired(now: Date): Promise<Proposal[]>;
}

/** The job bodies, callable with any `now`: the cron ticks call them with the clock, tests call them directly. */
export function createScheduledJobs(deps: ScheduleDeps): ScheduledJobs {
  const { store, audit } = deps;
  const graceMs = deps.approvedGraceMs ?? DEFAULT_APPROVED_GRACE_MS;

  async function runDigest(now: Date): Promise<WeeklyDigest> {
    if (!deps.digest) throw new Error('No digest is configured (slack.digest), so there is nothing to post.');
    const from = new Date(now.getTime() - (deps.digest.periodMs ?? DIGEST_PERIOD_MS));
    const digest = buildWeeklyDigest(await readAuditPeriod(audit, from, now), from, now);
    await deps.digest.post(digest);
    return digest;
  }

  function isDue(proposal: Proposal, nowMs: number): boolean {
    if (Date.parse(proposal.expiresAt) > nowMs) return false;
    if (proposal.state === 'proposed') return true;
    // Approved: only once the approval has been left without execution for the grace period, so a gate that
    // is between "approved" and "executing" right now is never cut off.
    const approvedAt = proposal.history.findLast((h) => h.to === 'approved')?.at ?? proposal.updatedAt;
    return Date.parse(approvedAt) + graceMs <= nowMs;
  }

  async function sweepExpired(now: Date): Promise<Proposal[]> {
    const nowMs = now.getTime();
    const due = store.listProposals({ states: ['proposed', 'approved'] }).filter((p) => isDue(p, nowMs));
    const expired: Proposal[] = [];
    for (const seen of due) {
      const wasApproved = seen.state === 'approved';
      // Compare-and-set from the state we saw: a click, the gate or another sweep that moved it first wins,
      // and this sweep writes nothing for it.
      const done = await store.transition(seen.id, {
        from: seen.state,
        to: 'expired',
        by: SWEEPER,
        note: wasApproved
          ? 'approved but never executed; the approval was withdrawn'
          : 'nobody decided before it expired',
      });
      if (!done.ok) continue;
      // An approval reserved a rate-limit slot; nothing ran, so the slot goes back.
      if (wasApproved) await store.release(seen.id);
      await audit.append({
        incidentId: seen.incidentId,
        proposalId: seen.id,
        type: 'proposal.expired',
        actor: SWEEPER,
        summary: wasApproved
          ? `Expired: approved at ${seen.updatedAt} but never executed: ${describeAction(seen.action)}`
          : `Expired unanswered at ${seen.expiresAt}: ${describeAction(seen.action)}`,
        data: { from: seen.state, expiresAt: seen.expiresAt },
      });
      expired.push(done.proposal);
      try {
        await deps.onExpired(done.proposal);
      } catch (error) {
        await reportFailure(
          deps,
          'expiry-sweep',
          error,
          `Proposal ${seen.id} expired, but its message was not updated`,
        );
      }
    }
    if (deps.retention) {
      await store.pruneLedger(deps.retention.ledgerMs);
      await store.pruneHistory(deps.retention.historyMs);
    }
    return expired;
  }

  return { runDigest, sweepExpired };
}

export interface Schedules {
  readonly jobs: { readonly digest?: CronJob; readonly expirySweep: CronJob };
  /** Stops every job and waits for a tick that is running to finish. */
  stop(): Promise<void>;
}

/**
 * Registers the periodic jobs and starts them. A bad schedule or time zone fails here, at startup, naming the
 * config key. Each job waits for its previous tick to finish (a slow disk never stacks sweeps), and a
 * failed tick is reported (audit + onError), never thrown into the timer.
 */
export function startSchedules(deps: ScheduleDeps): Schedules {
  const jobs = createScheduledJobs(deps);
  const tick = (job: JobName, what: string, body: (now: Date) => Promise<unknown>) => async () => {
    try {
      await body(deps.clock.now());
    } catch (error) {
      await reportFailure(deps, job, error, what);
    }
  };

  const expirySweep = CronJob.from({
    cronTime: EXPIRY_SWEEP_CRON,
    onTick: tick('expiry-sweep', 'The proposal expiry sweep failed', jobs.sweepExpired),
    timeZone: 'UTC',
    waitForCompletion: true,
    name: 'expiry-sweep',
  });
  let digest: CronJob | undefined;
  if (deps.digest) {
    const { schedule, timezone } = deps.digest;
    try {
      digest = CronJob.from({
        cronTime: schedule,
        onTick: tick('weekly-digest', 'The weekly digest was not posted', jobs.runDigest),
        timeZone: timezone,
        waitForCompletion: true,
        name: 'weekly-digest',
      });
    } catch (error) {
      throw new Error(
        `slack.digest: schedule ${JSON.stringify(schedule)} in time zone ${JSON.stringify(timezone)} cannot be used: ` +
          `${error instanceof Error ? error.message : String(error)}. Use a cron expression such as "0 9 * * 1" ` +
          '(Mondays 09:00) and an IANA zone such as "Europe/Paris".',
        { cause: error },
      );
    }
  }
  const all = digest ? [expirySweep, digest] : [expirySweep];
  for (const job of all) job.start();
  return {
    jobs: digest ? { digest, expirySweep } : { expirySweep },
    async stop() {
      await Promise.all(all.map((job) => job.stop()));
    },
  };
}

/** A failed job reaches the audit log (where /remediate audit shows it) and the injected error sink. */
async function reportFailure(deps: ScheduleDeps, job: JobName, error: unknown, what: string): Promise<void> {
  deps.onError?.(job, error);
  try {
    await deps.audit.append({
      type: 'error',
      actor: SCHEDULER,
      summary: `${what}: ${error instanceof Error ? error.message : String(error)}`,
      data: { job },
    });
  } catch (auditError) {
    deps.onError?.(job, auditError);
  }
}
