/** A place held in the queue before the item is known, so a check that awaits cannot lose the place. */
export interface QueueSlot<T> {
  fill(item: T): void;
  release(): void;
}

export interface WorkQueue<T> {
  /** Holds a place, or undefined when the queue is full. */
  reserve(): QueueSlot<T> | undefined;
  /** Enqueues regardless of capacity: for work already accepted (replayed at start-up). */
  push(item: T): void;
  /** Items waiting or being processed, including reserved places. */
  readonly size: number;
  readonly capacity: number;
  /** Milliseconds the oldest unprocessed item has waited (being processed counts); 0 when empty. */
  oldestAgeMs(): number;
  /** Resolves when everything accepted so far has been processed. */
  idle(): Promise<void>;
  /**
   * Stops taking work: waiting items are dropped (what was accepted is in the durable inbox and is replayed
   * at the next start) and it resolves once the items in progress have finished.
   */
  stop(): Promise<void>;
}

export interface WorkQueueOptions<T> {
  readonly capacity: number;
  readonly process: (item: T) => Promise<void> | void;
  readonly onError: (error: unknown, item: T) => void;
  /** Milliseconds now, for the age of the oldest item; a monotonic timer by default. */
  readonly now?: () => number;
  /**
   * Items processed at once (default 1). Items start in the order they were queued; with more than one, a
   * small delivery behind a huge one starts at once instead of waiting for it to finish.
   */
  readonly concurrency?: number;
}

/**
 * A bounded in-process queue with up to `concurrency` workers. Webhooks are acknowledged as soon as their
 * item is in the queue; workers yield to the event loop between items so acknowledgements stay fast during
 * a storm.
 */
export function createWorkQueue<T>(options: WorkQueueOptions<T>): WorkQueue<T> {
  const items: T[] = [];
  const now = options.now ?? (() => performance.now());
  const concurrency = Math.max(1, options.concurrency ?? 1);
  /** When each waiting item was queued, in step with `items`, and when each one in progress was. */
  const queuedAt: number[] = [];
  const inProgress = new Set<{ queuedAt: number }>();
  let reserved = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (inProgress.size > 0 || items.length > 0 || reserved > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  /** Starts items while a worker is free; each worker takes the next item when its own is done. */
  const run = () => {
    while (inProgress.size < concurrency && items.length > 0) {
      const item = items.shift() as T;
      const token = { queuedAt: queuedAt.shift() ?? now() };
      inProgress.add(token);
      void (async () => {
        try {
          await options.process(item);
        } catch (error) {
          options.onError(error, item);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
        inProgress.delete(token);
        run();
        settleIdle();
      })();
    }
  };

  return {
    capacity: options.capacity,
    get size() {
      return items.length + reserved + inProgress.size;
    },
    reserve() {
      if (items.length + reserved + inProgress.size >= options.capacity) return undefined;
      reserved += 1;
      let used = false;
      return {
        fill(item: T) {
          if (used) return;
          used = true;
          reserved -= 1;
          items.push(item);
          queuedAt.push(now());
          run();
        },
        release() {
          if (used) return;
          used = true;
          reserved -= 1;
          settleIdle();
        },
      };
    },
    push(item) {
      items.push(item);
      queuedAt.push(now());
      run();
    },
    oldestAgeMs() {
      const oldest = Math.min(...[...inProgress].map((t) => t.queuedAt), queuedAt[0] ?? Infinity);
      return oldest === Infinity ? 0 : Math.max(0, now() - oldest);
    },
    idle() {
      if (inProgress.size === 0 && items.length === 0 && reserved === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      items.length = 0;
      queuedAt.length = 0;
      if (inProgress.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
