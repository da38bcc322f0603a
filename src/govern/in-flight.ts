// Executions in flight, so a stopping Belay lets a verification finish instead of cutting it mid-way: stop()
// closes the door to new work, then waits for what runs, up to a deadline below the pod's grace period.

export interface InFlight {
  /** Runs `work` as tracked; refused once draining began, so nothing new starts during a stop. */
  track<T>(work: () => Promise<T>): Promise<T>;
  count(): number;
  /** Refuses new work and waits for the running work, at most `deadlineMs`; says what was left. */
  drain(deadlineMs: number): Promise<{ finished: boolean; left: number }>;
}

export class ShuttingDownError extends Error {
  constructor() {
    super(
      'Not run: this Belay is shutting down (a rollout or a lost lease). Nothing was changed; ask again in a minute, when its replacement is up.',
    );
    this.name = 'ShuttingDownError';
  }
}

export function createInFlight(
  wait: (ms: number) => { done: Promise<void>; cancel(): void } = realTimer,
): InFlight {
  const running = new Set<Promise<unknown>>();
  let draining = false;
  return {
    track(work) {
      if (draining) return Promise.reject(new ShuttingDownError());
      const promise = work();
      running.add(promise);
      const forget = () => running.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    count: () => running.size,
    async drain(deadlineMs) {
      draining = true;
      if (running.size === 0) return { finished: true, left: 0 };
      const timer = wait(deadlineMs);
      const all = Promise.allSettled([...running]).then(() => true);
      const finished = await Promise.race([all, timer.done.then(() => false)]);
      timer.cancel();
      return { finished, left: running.size };
    },
  };
}

function realTimer(ms: number): { done: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}
