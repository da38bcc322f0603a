export interface GroupCommit<T> {
  /** Resolves once a write containing the item has finished; rejects with that write's error. */
  add(item: T): Promise<void>;
  /** Resolves when nothing is waiting or being written. */
  idle(): Promise<void>;
}

/**
 * Writes run one at a time, in order; items added while one runs ride together on the next write, so a
 * burst of concurrent callers costs one write (and one fsync) instead of one each.
 */
export function createGroupCommit<T>(
  write: (items: T[]) => Promise<void>,
  options: {
    /**
     * Awaited before each write takes its batch: a writer that blocks (synchronous I/O on a thread of its
     * own) lets the callers of this turn of the event loop join the batch first.
     */
    readonly gather?: () => Promise<void>;
  } = {},
): GroupCommit<T> {
  let waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running: Promise<void> | undefined;

  const drain = async () => {
    while (waiting.length > 0) {
      if (options.gather) await options.gather();
      const batch = waiting;
      waiting = [];
      try {
        await write(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    running = undefined;
  };

  return {
    add(item) {
      const added = new Promise<void>((resolve, reject) => waiting.push({ item, resolve, reject }));
      running ??= drain();
      return added;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
