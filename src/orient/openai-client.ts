import OpenAI from 'openai';

export interface OpenAIClientOptions {
  readonly baseURL: string;
  /** From OPENAI_API_KEY via config; local servers (Ollama, vLLM without --api-key) need none. */
  readonly apiKey: string | undefined;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  /** The HTTP client; the composition root passes one that records metrics. */
  readonly fetch?: typeof fetch;
}

/**
 * The SDK client for any OpenAI-compatible endpoint. Every option is explicit so the SDK never falls back
 * to reading OPENAI_* variables itself: config is the only reader of the environment.
 */
export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    baseURL: options.baseURL,
    // The SDK refuses to start without a key; servers that do not check one ignore this placeholder.
    apiKey: options.apiKey ?? 'no-key-configured',
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: options.requestTimeoutMs,
    maxRetries: options.maxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
