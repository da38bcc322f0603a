import type { Config, Env } from '../config/index.ts';
import { createDailyTokenBudget, createOpenAIClient, type ModelPort } from '../orient/index.ts';

/** The model, when one is configured and has its key; otherwise Belay orients with its rules alone. */
export function modelPort(config: Config, env: Env, fetch: typeof globalThis.fetch): { model?: ModelPort } {
  const llm = config.llm;
  if (!llm?.enabled) return {};
  const client = createOpenAIClient({
    baseURL: llm.baseURL,
    apiKey: env.openai.apiKey ?? 'not-needed',
    requestTimeoutMs: llm.requestTimeout,
    maxRetries: llm.maxRetries,
    fetch,
  });
  return {
    model: {
      client,
      model: llm.model,
      requestTimeoutMs: llm.requestTimeout,
      maxRetries: llm.maxRetries,
      output: llm.output,
      budgets: llm.budgets,
      daily: createDailyTokenBudget(llm.budgets.dailyTokens),
    },
  };
}
