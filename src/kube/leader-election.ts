// Leader election as client-go's tools/leaderelection does it: a record with a holder, a lease duration and
// renew time, taken by create when absent or by an update carrying the resourceVersion read (so of two
// racing candidates the API server lets exactly one through, 409 for the other), and taken over only after
// this candidate has itself watched the record stay unchanged for a whole lease duration: expiry is judged
// on the local clock from when the record was observed, never from the holder's timestamps (clock skew).
import { type ElectionTiming, electionTimingProblems } from '../config/sections/lease-timing.ts';
import type { Clock } from '../domain/index.ts';

export { type ElectionTiming, electionTimingProblems };

/** client-go's LeaderElectionRecord, as a Lease's spec carries it. */
export interface LeaderElectionRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: Date;
  readonly renewTime: Date;
  readonly leaseTransitions: number;
}

export interface ObservedRecord {
  readonly record: LeaderElectionRecord;
  /** The optimistic-concurrency token: an update must carry it, or the API server answers 409. */
  readonly resourceVersion: string;
}

/** Where the record lives (a coordination.k8s.io/v1 Lease); create and update reject on 409. */
export interface LeaderLock {
  get(): Promise<ObservedRecord | undefined>;
  create(record: LeaderElectionRecord): Promise<ObservedRecord>;
  update(record: LeaderElectionRecord, resourceVersion: string): Promise<ObservedRecord>;
  /** `lease belay/belay-leader`, for messages. */
  readonly description: string;
}

export class NotLeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotLeaderError';
  }
}

export interface LeaderElector {
  readonly identity: string;
  /** One attempt; true when this candidate holds the lock afterwards. Never throws: a failure is false. */
  tryAcquireOrRenew(): Promise<boolean>;
  /** Whether this candidate may still write: it renewed within the renew deadline and was never deposed. */
  isLeader(): boolean;
  /** The fence every store write runs: throws NotLeaderError unless isLeader(). */
  assertLeader(): void;
  /** Tries every retry period until leading (hot standby); resolves false if stopped first. */
  acquire(): Promise<boolean>;
  /** Renews every retry period; resolves with why leadership was lost, or undefined when stopped. */
  renewUntilLost(): Promise<string | undefined>;
  /** Stops the loops; when still leading, hands the lease back (holder emptied) so a standby need not wait. */
  release(): Promise<void>;
  /** The holder the last read saw, and the last error, for logs. */
  observed(): { holder: string | undefined; lastError: string | undefined };
}

export interface LeaderElectorOptions {
  readonly lock: LeaderLock;
  readonly identity: string;
  readonly clock: Clock;
  readonly timing: ElectionTiming;
  /** How the loops wait between attempts; tests drive time by hand. */
  readonly sleep: (ms: number) => Promise<void>;
}

export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const { lock, identity, clock, timing, sleep } = options;
  const problems = electionTimingProblems(timing);
  if (problems.length > 0) throw new RangeError(`leader election timing: ${problems.join('; ')}`);
  if (identity.length === 0) throw new RangeError('leader election needs a non-empty identity');

  let observed: ObservedRecord | undefined;
  let observedAt = 0;
  let renewedAt: number | undefined;
  let deposed = false;
  let stopped = false;
  let lastError: string | undefined;
  const now = () => clock.now().getTime();

  function observe(next: ObservedRecord, at: number): void {
    if (!observed || JSON.stringify(next.record) !== JSON.stringify(observed.record)) {
      observed = next;
      observedAt = at;
    } else observed = next;
  }

  // The attempt under way, so release() can wait for it: a renewal landing after the release would put
  // this holder back into the Lease, and the standby would wait a whole lease duration for nothing.
  let attempt: Promise<boolean> | undefined;
  function tryAcquireOrRenew(): Promise<boolean> {
    if (deposed || stopped) return Promise.resolve(false);
    const running = attemptOnce();
    attempt = running;
    return running;
  }

  async function attemptOnce(): Promise<boolean> {
    const at = now();
    const fresh = (previous?: LeaderElectionRecord): LeaderElectionRecord => ({
      holderIdentity: identity,
      leaseDurationSeconds: timing.leaseDurationMs / 1000,
      // Renewing keeps when and how often the lock changed hands; taking it over counts one transition more.
      acquireTime: previous?.holderIdentity === identity ? previous.acquireTime : new Date(at),
      renewTime: new Date(at),
      leaseTransitions: previous
        ? previous.holderIdentity === identity
          ? previous.leaseTransitions
          : previous.leaseTransitions + 1
        : 0,
    });
    try {
      const current = await lock.get();
      if (!current) {
        observe(await lock.create(fresh()), at);
        renewedAt = at;
        lastError = undefined;
        return true;
      }
      observe(current, at);
      const { record } = current;
      const heldByOther = record.holderIdentity !== '' && record.holderIdentity !== identity;
      if (heldByOther && observedAt + record.leaseDurationSeconds * 1000 > at) return false;
      observe(await lock.update(fresh(record), current.resourceVersion), at);
      renewedAt = at;
      lastError = undefined;
      return true;
    } catch (error) {
      // 409 (someone else won the race), a timeout, a refusal: this attempt failed, the loop decides.
      lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  function isLeader(): boolean {
    return (
      !deposed &&
      renewedAt !== undefined &&
      observed?.record.holderIdentity === identity &&
      now() - renewedAt < timing.renewDeadlineMs
    );
  }

  return {
    identity,
    tryAcquireOrRenew,
    isLeader,
    assertLeader() {
      if (isLeader()) return;
      const holder = observed?.record.holderIdentity;
      throw new NotLeaderError(
        `Refused to write: this Belay (${identity}) no longer holds ${lock.description}` +
          (holder && holder !== identity ? `; ${holder} does` : '') +
          '. Another instance may be acting now, so this one stops and exits for its restart.',
      );
    },
    async acquire() {
      while (!stopped && !deposed) {
        if (await tryAcquireOrRenew()) return true;
        await sleep(timing.retryPeriodMs);
      }
      return false;
    },
    async renewUntilLost() {
      while (!stopped) {
        await sleep(timing.retryPeriodMs);
        if (stopped) return undefined;
        const renewed = await tryAcquireOrRenew();
        const holder = observed?.record.holderIdentity;
        if (!renewed && holder !== undefined && holder !== identity && holder !== '') {
          deposed = true;
          return `${lock.description} is now held by ${holder}`;
        }
        if (!renewed && now() - (renewedAt ?? 0) >= timing.renewDeadlineMs) {
          deposed = true;
          return `could not renew ${lock.description} within ${timing.renewDeadlineMs / 1000}s (${lastError ?? 'no answer'})`;
        }
      }
      return undefined;
    },
    async release() {
      stopped = true;
      await attempt;
      const leading = isLeader();
      if (!leading || !observed) return;
      const at = new Date(now());
      // client-go's ReleaseOnCancel: an empty holder and a 1 s duration let a standby take over at once.
      try {
        await lock.update(
          { ...observed.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: at, acquireTime: at },
          observed.resourceVersion,
        );
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      deposed = true;
    },
    observed: () => ({ holder: observed?.record.holderIdentity, lastError }),
  };
}
