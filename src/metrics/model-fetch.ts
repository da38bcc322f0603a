import type { BelayMetrics } from './belay-metrics.ts';

/**
 * A fetch for the OpenAI SDK that times every HTTP call to the model and counts the tokens the server
 * reports. Measured on the wire, so SDK retries count as the calls they are.
 */
export function instrumentedModelFetch(
  metrics: BelayMetrics,
  inner: typeof fetch = fetch,
  now: () => number = () => performance.now(),
): typeof fetch {
  return async (input, init) => {
    const started = now();
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      metrics.modelCall('network_error', (now() - started) / 1_000);
      throw error;
    }
    metrics.modelCall(response.ok ? 'ok' : 'http_error', (now() - started) / 1_000);
    if (response.ok && response.headers.get('content-type')?.includes('application/json')) {
      // A copy, so the SDK still reads the body; usage is absent on servers that do not report it.
      response
        .clone()
        .json()
        .then((body) => {
          const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
          const count = (n: unknown) => (typeof n === 'number' && n > 0 ? n : 0);
          metrics.modelTokens(count(usage?.prompt_tokens), count(usage?.completion_tokens));
        })
        .catch(() => undefined);
    }
    return response;
  };
}
