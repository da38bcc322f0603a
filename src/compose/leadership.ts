// One writer at a time: a Lease when Belay runs against Kubernetes as a Deployment (or a lease is
// configured), a lock file in the store directory when it runs locally. Either way the caller gets the
// same three things: a fence for every store write, a promise that settles when leadership is lost, and
// a release for a clean stop.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import { type ProcessIdentity, thisProcess, tryLockStore } from '../govern/store/store-lock.ts';
import { type KubeConfigLoader, loadKubeConfig } from '../kube/index.ts';
import { createLeaderElector } from '../kube/leader-election.ts';
import { createLeaseLock } from '../kube/lease-lock.ts';

export interface Leadership {
  /** `lease belay/belay-leader` or `lock file /data/belay.lock`. */
  readonly description: string;
  readonly identity: string;
  /** The fence: throws unless this process still leads. */
  assertLeader(): void;
  /** Settles with the reason once leadership is lost; never settles after release(). */
  readonly lost: Promise<string>;
  /** Stops renewing and hands the lease or lock back. */
  release(): Promise<void>;
}

export interface LeadershipOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly kubeConfigLoader?: KubeConfigLoader;
  /** Defaults to host_uuid, as client-go's examples do. */
  readonly identity?: string;
  /** For the local lock: this process, or a stand-in in tests. */
  readonly process?: ProcessIdentity;
  /** Told once when this instance has to wait for another one. */
  readonly onWaiting?: (message: string) => void;
}

const DEFAULT_TIMING = { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 };

/** Waits (hot standby) until this process leads, then keeps leading until lost or released. */
export async function acquireLeadership(options: LeadershipOptions): Promise<Leadership> {
  const { config, clock } = options;
  const k = config.kubernetes;
  const clusterName = k.lease?.cluster ?? k.defaultCluster ?? k.clusters[0]?.name;
  const cluster = k.clusters.find((c) => c.name === clusterName);
  const timing = k.lease ?? DEFAULT_TIMING;
  const sleeper = createSleeper();
  if (k.lease || cluster?.inCluster) return leaseLeadership();
  return lockLeadership();

  async function leaseLeadership(): Promise<Leadership> {
    const load = options.kubeConfigLoader ?? loadKubeConfig;
    const kubeConfig = load(cluster?.write ?? cluster ?? { inCluster: true });
    const namespace =
      k.lease?.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
    if (!namespace)
      throw new Error(
        `kubernetes.lease.namespace is not set and the write identity of cluster "${clusterName}" names no namespace: set kubernetes.lease.namespace to the namespace Belay runs in.`,
      );
    const lock = createLeaseLock(kubeConfig, {
      name: k.lease?.name ?? 'belay-leader',
      namespace,
      requestTimeoutMs: k.requestTimeout,
    });
    const elector = createLeaderElector({
      lock,
      identity: options.identity ?? `${hostname()}_${randomUUID()}`,
      clock,
      timing: {
        leaseDurationMs: timing.leaseDuration,
        renewDeadlineMs: timing.renewDeadline,
        retryPeriodMs: timing.retryPeriod,
      },
      sleep: sleeper.sleep,
    });
    if (!(await elector.tryAcquireOrRenew())) {
      const { holder, lastError } = elector.observed();
      options.onWaiting?.(
        holder
          ? `${lock.description} is held by ${holder}; this Belay waits as a standby and takes over when it expires.`
          : `cannot take ${lock.description} yet (${lastError ?? 'no answer'}); retrying every ${timing.retryPeriod / 1000}s.`,
      );
      await elector.acquire();
    }
    let released = false;
    const lost = elector
      .renewUntilLost()
      .then((reason) => (released || reason === undefined ? new Promise<string>(() => {}) : reason));
    return {
      description: lock.description,
      identity: elector.identity,
      assertLeader: () => elector.assertLeader(),
      lost,
      async release() {
        released = true;
        sleeper.cancel();
        await elector.release();
      },
    };
  }

  async function lockLeadership(): Promise<Leadership> {
    const me = options.process ?? thisProcess;
    let attempt = await tryLockStore(config.store.dir, clock, me);
    if (!attempt.ok) options.onWaiting?.(`${attempt.message} This Belay waits until the lock is free.`);
    while (!attempt.ok) {
      await sleeper.sleep(timing.retryPeriod);
      attempt = await tryLockStore(config.store.dir, clock, me);
    }
    const lock = attempt.lock;
    let released = false;
    // Someone deleting or replacing the file is the local form of losing the lease.
    const lost = (async () => {
      for (;;) {
        await sleeper.sleep(timing.retryPeriod);
        if (released) return new Promise<string>(() => {});
        try {
          lock.assertLeader();
        } catch (error) {
          return (error as Error).message;
        }
      }
    })();
    return {
      description: `lock file ${lock.file}`,
      identity: `pid ${lock.holder.pid} on ${lock.holder.hostname}`,
      assertLeader: () => lock.assertLeader(),
      lost,
      async release() {
        released = true;
        sleeper.cancel();
        lock.release();
      },
    };
  }
}

/** Timers that a release cancels at once, so a stopping process is not held up by the next retry. */
function createSleeper(): { sleep(ms: number): Promise<void>; cancel(): void } {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            pending.delete(entry);
            resolve();
          }, ms),
          resolve,
        };
        pending.add(entry);
      }),
    cancel() {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}
