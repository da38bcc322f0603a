import { z } from 'zod';
import { durationSchema } from '../../domain/index.ts';

/**
 * The model Belay asks to investigate. Absent (or `enabled: false`): Belay orients with its deterministic
 * rules only and works end to end without a model. The API key is never in the file: OPENAI_API_KEY.
 */
export const llmSectionSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Any OpenAI-compatible endpoint: OpenAI, Azure OpenAI's v1 API, Ollama, vLLM. */
    baseURL: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
    /** The model, or the deployment name on Azure OpenAI. */
    model: z.string().min(1).max(256),
    /** One HTTP request to the model, including the wait for its answer. */
    requestTimeout: durationSchema.prefault('30s'),
    /**
     * How the model hands back its findings. `strict-tools`: a strict function call (OpenAI, vLLM,
     * llama.cpp). `json-schema`: the final message under `response_format: json_schema` (also Ollama).
     * `json-object`: JSON mode, validated, with one repair turn, for endpoints without schema support.
     * docs/llm-endpoints.md says which endpoint supports what.
     */
    output: z.enum(['strict-tools', 'json-schema', 'json-object']).default('strict-tools'),
    /** Retries of 408/409/429/5xx and connection errors, done by the SDK with its backoff. */
    maxRetries: z.number().int().min(0).max(5).default(2),
    budgets: z
      .object({
        toolCallsPerIncident: z.number().int().min(0).max(50).default(8),
        promptTokensPerIncident: z.number().int().min(1_000).max(1_000_000).default(12_000),
        /** The whole investigation of one incident, all model calls and tool runs together. */
        wallClockPerIncident: durationSchema.prefault('90s'),
        /** Characters of one tool output the model sees; the rest is cut with a note saying so. */
        toolOutputChars: z.number().int().min(500).max(100_000).default(6_000),
        /** Prompt and completion tokens for the whole bot per UTC day; past it, deterministic rules only. */
        dailyTokens: z.number().int().min(1_000).default(500_000),
      })
      .strict()
      .prefault({}),
    /** Earlier turns of an incident thread given to the model with a question. */
    threadTurns: z.number().int().min(0).max(50).default(10),
  })
  .strict();
export type LlmSection = z.infer<typeof llmSectionSchema>;
export type LlmBudgets = LlmSection['budgets'];

/** The key comes from the environment only, so it never lands in a config file, a repo or the audit log. */
export function llmApiKeyFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = env.OPENAI_API_KEY?.trim();
  return key ? key : undefined;
}
