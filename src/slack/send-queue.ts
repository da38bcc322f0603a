import type { EdgeLogger } from './edge-logger.ts';

/**
 * Per-channel send queue on top of the WebClient's own 429 retries. Messages to one channel go out one at
 * a time in the order they were queued (Slack allows about one message per second per channel, and a thread
 * read out of order is worse than a late one); different channels do not wait for each other. When the
 * client gives up on a rate limit or a transient failure, the queue waits and tries again instead of
 * dropping the message; a platform error (channel_not_found, invalid_blocks) is returned to the caller.
 */
export interface SendQueue {
  send<T>(channel: string, task: () => Promise<T>): Promise<T>;
  /** Resolves when every queued send has finished (for shutdown and tests). */
  drain(): Promise<void>;
}

export interface SendQueueOptions {
  logger: EdgeLogger;
  /** Injected so tests do not wait; production uses a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts for transient failures (network, 5xx) before the error reaches the caller. Rate limits never give up. */
  maxTransientAttempts?: number;
  backoffMs?: (attempt: number) => number;
}

const RATE_LIMITED = 'slack_webapi_rate_limited_error';
const TRANSIENT = new Set(['slack_webapi_request_error', 'slack_webapi_http_error']);

export function createSendQueue(options: SendQueueOptions): SendQueue {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxTransient = options.maxTransientAttempts ?? 5;
  const backoff = options.backoffMs ?? ((attempt: number) => Math.min(60_000, 1_000 * 2 ** attempt));
  const tails = new Map<string, Promise<unknown>>();

  async function attempt<T>(channel: string, task: () => Promise<T>): Promise<T> {
    for (let transientFailures = 0; ; ) {
      try {
        return await task();
      } catch (error) {
        const { code, retryAfter } = error as { code?: string; retryAfter?: number };
        const rateLimited = code === RATE_LIMITED || /rate limit/i.test(String((error as Error).message));
        if (!rateLimited && !(code && TRANSIENT.has(code) && ++transientFailures < maxTransient)) throw error;
        const wait =
          rateLimited && retryAfter !== undefined ? retryAfter * 1_000 : backoff(transientFailures);
        options.logger.warn('slack send will be retried', { channel, code, waitMs: wait });
        await sleep(wait);
      }
    }
  }

  return {
    send<T>(channel: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(channel) ?? Promise.resolve();
      const run = previous.then(() => attempt(channel, task));
      const tail = run.catch(() => undefined);
      tails.set(channel, tail);
      void tail.then(() => {
        if (tails.get(channel) === tail) tails.delete(channel);
      });
      return run;
    },
    async drain() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
