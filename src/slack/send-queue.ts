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
  /**
   * Shutdown: nothing new is sent, waiting retries stop at once, and their callers get an error. Without it a
   * stopping Belay would keep retrying queued messages, each for up to a minute, against a Slack it left.
   */
  close(): void;
  /** Aborted by close(): work that waits on purpose (batching) ends its wait and finishes at once. */
  readonly closing: AbortSignal;
  /** Sends queued, in flight or waiting to retry: the queue's depth. */
  readonly pending: number;
}

export interface SendQueueOptions {
  logger: EdgeLogger;
  /** Injected so tests do not wait; production uses a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts for transient failures (network, 5xx) before the error reaches the caller. Rate limits never give up. */
  maxTransientAttempts?: number;
  backoffMs?: (attempt: number) => number;
  /** Told of every retry, for metrics: a 429 is `rate_limited`. */
  onRetry?: (reason: 'rate_limited' | 'transient') => void;
}

const RATE_LIMITED = 'slack_webapi_rate_limited_error';
const TRANSIENT = new Set(['slack_webapi_request_error', 'slack_webapi_http_error']);

export function createSendQueue(options: SendQueueOptions): SendQueue {
  const maxTransient = options.maxTransientAttempts ?? 5;
  const backoff = options.backoffMs ?? ((attempt: number) => Math.min(60_000, 1_000 * 2 ** attempt));
  const tails = new Map<string, Promise<unknown>>();
  let pending = 0;
  const stopping = new AbortController();
  const stopped = () => new Error('Belay is stopping, so this Slack message was not sent');
  /** A wait that ends early, with an error, when the queue is closed. */
  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (stopping.signal.aborted) return reject(stopped());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        clearTimeout(timer); // a pending minute-long timer must not keep a stopped process alive
        reject(stopped());
      };
      stopping.signal.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        stopping.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (options.sleep) options.sleep(ms).then(done, reject);
      else timer = setTimeout(done, ms);
    });

  async function attempt<T>(channel: string, task: () => Promise<T>): Promise<T> {
    for (let transientFailures = 0; ; ) {
      if (stopping.signal.aborted) throw stopped();
      try {
        return await task();
      } catch (error) {
        const { code, retryAfter } = error as { code?: string; retryAfter?: number };
        const rateLimited = code === RATE_LIMITED || /rate limit/i.test(String((error as Error).message));
        if (!rateLimited && !(code && TRANSIENT.has(code) && ++transientFailures < maxTransient)) throw error;
        const delay =
          rateLimited && retryAfter !== undefined ? retryAfter * 1_000 : backoff(transientFailures);
        options.logger.warn('slack send will be retried', { channel, code, waitMs: delay });
        options.onRetry?.(rateLimited ? 'rate_limited' : 'transient');
        await wait(delay);
      }
    }
  }

  return {
    send<T>(channel: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(channel) ?? Promise.resolve();
      pending += 1;
      const run = previous
        .then(() => attempt(channel, task))
        .finally(() => {
          pending -= 1;
        });
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
    close() {
      stopping.abort();
    },
    closing: stopping.signal,
    get pending() {
      return pending;
    },
  };
}
