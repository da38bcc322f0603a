import type { Clock } from '../../domain/index.ts';

export type Fetched<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/**
 * Reads JSON with a short timeout and keeps the answer (or the failure) for `cacheMs`, so a storm of facts
 * gathering costs one request, and a calendar that is down costs one timeout per period, not one per alert.
 * Concurrent callers share the request in flight.
 */
export function createCachedJson<T>(options: {
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly parse: (body: unknown) => Fetched<T>;
}): (url: string, headers?: Record<string, string>) => Promise<Fetched<T>> {
  const cache = new Map<string, { at: number; result: Promise<Fetched<T>> }>();
  return (url, headers = {}) => {
    const now = options.clock.now().getTime();
    const hit = cache.get(url);
    if (hit && now - hit.at < options.cacheMs) return hit.result;
    const result = load(url, headers);
    cache.set(url, { at: now, result });
    return result;
  };

  async function load(url: string, headers: Record<string, string>): Promise<Fetched<T>> {
    try {
      const response = await options.fetch(url, {
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, error: `HTTP ${response.status} from ${new URL(url).origin}` };
      }
      return options.parse(await response.json());
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: `no answer within ${options.timeoutMs} ms` };
      return { ok: false, error: (error as Error).message };
    }
  }
}
