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
   * at the next start) and it resolves once the item in progress has finished.
   */
  stop(): Promise<void>;
}

export interface WorkQueueOptions<T> {
  readonly capacity: number;
  readonly process: (item: T) => Promise<void> | void;
  readonly onError: (error: unknown, item: T) => void;
  /** Milliseconds now, for the age of the oldest item; a monotonic timer by default. */
  readonly now?: () => number;
}

/**
 * A bounded in-process queue with one worker. Webhooks are acknowledged as soon as their item is in the
 * queue; the worker yields to the event loop between items so acknowledgements stay fast during a storm.
 */
export function createWorkQueue<T>(options: WorkQueueOptions<T>): WorkQueue<T> {
  const items: T[] = [];
  const now = options.now ?? (() => performance.now());
  /** When each waiting item was queued, in step with `items`, and when the one in progress was. */
  const queuedAt: number[] = [];
  let current: number | undefined;
  let reserved = 0;
  let running = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running || items.length > 0 || reserved > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const run = async () => {
    if (running) return;
    running = true;
    while (items.length > 0) {
      const item = items.shift() as T;
      current = queuedAt.shift();
      try {
        await options.process(item);
      } catch (error) {
        options.onError(error, item);
      }
      current = undefined;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    running = false;
    settleIdle();
  };

  return {
    capacity: options.capacity,
    get size() {
      return items.length + reserved + (running ? 1 : 0);
    },
    reserve() {
      if (items.length + reserved + (running ? 1 : 0) >= options.capacity) return undefined;
      reserved += 1;
      let used = false;
      return {
        fill(item: T) {
          if (used) return;
          used = true;
          reserved -= 1;
          items.push(item);
          queuedAt.push(now());
          void run();
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
      void run();
    },
    oldestAgeMs() {
      const oldest = current ?? queuedAt[0];
      return oldest === undefined ? 0 : Math.max(0, now() - oldest);
    },
    idle() {
      if (!running && items.length === 0 && reserved === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      items.length = 0;
      queuedAt.length = 0;
      if (!running) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
