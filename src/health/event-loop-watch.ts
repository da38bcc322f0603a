import type { CheckState } from './health-check.ts';

export interface EventLoopWatchOptions {
  /** A stall longer than this fails the check (default 5 s). */
  readonly maxStallMs?: number;
  /** For how long after a stall the check keeps failing (default 30 s), so a probe after it still sees it. */
  readonly windowMs?: number;
  /** How often the watchdog ticks (default 250 ms); a stall is the lateness of a tick. */
  readonly intervalMs?: number;
  /** Milliseconds now, monotonic; performance.now() by default. */
  readonly now?: () => number;
}

export interface EventLoopWatch {
  state(): CheckState;
  stop(): void;
}

export const DEFAULT_MAX_STALL_MS = 5_000;
export const DEFAULT_STALL_WINDOW_MS = 30_000;

/**
 * A timer-drift watchdog: a timer that fires late by more than the bound means nothing else ran either
 * (webhooks, Slack acks, verifications). Timers run before I/O in a loop turn, so the tick that measures a
 * stall always lands before the probe that was waiting behind it.
 */
export function createEventLoopWatch(options: EventLoopWatchOptions = {}): EventLoopWatch {
  const maxStallMs = options.maxStallMs ?? DEFAULT_MAX_STALL_MS;
  const windowMs = options.windowMs ?? DEFAULT_STALL_WINDOW_MS;
  const intervalMs = options.intervalMs ?? Math.min(250, Math.max(10, Math.floor(maxStallMs / 4)));
  const now = options.now ?? (() => performance.now());
  for (const [name, value] of Object.entries({ maxStallMs, windowMs, intervalMs })) {
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`event loop watch: ${name} must be a positive number, got ${value}`);
  }
  let last = now();
  /** The worst stall seen and when it ended, while it is inside the window. */
  let stall: { readonly ms: number; readonly endedAt: number } | undefined;
  const timer = setInterval(() => {
    const at = now();
    const late = at - last - intervalMs;
    last = at;
    if (late > maxStallMs && (!stall || at - stall.endedAt > windowMs || late >= stall.ms))
      stall = { ms: late, endedAt: at };
  }, intervalMs);
  // The watchdog alone must not keep a stopping process alive.
  timer.unref();

  return {
    state() {
      const at = now();
      const ongoing = at - last - intervalMs;
      if (ongoing > maxStallMs) return stalled(ongoing, maxStallMs, 'is blocked now');
      if (stall && at - stall.endedAt <= windowMs)
        return stalled(stall.ms, maxStallMs, `was blocked ${Math.round((at - stall.endedAt) / 1_000)} s ago`);
      return { ok: true };
    },
    stop: () => clearInterval(timer),
  };
}

function stalled(ms: number, bound: number, when: string): CheckState {
  return {
    ok: false,
    detail:
      `the event loop ${when} for ${Math.round(ms)} ms (bound ${bound} ms): webhooks, Slack and verifications ` +
      'waited that long. Repeated stalls mean CPU starvation (check the pod CPU limit and throttling) or a hot ' +
      'code path; a restart clears a wedged process.',
  };
}
