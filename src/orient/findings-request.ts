import type OpenAI from 'openai';
import { toStrictJsonSchema } from 'openai/lib/transform';
import { findingsJsonSchema, SUBMIT_TOOL } from './findings.ts';
import type { FindingsScope } from './findings-scope.ts';

/**
 * How the model hands its findings back (config `llm.output`; docs/llm-endpoints.md says who supports what):
 * - `strict-tools`: a `submit_findings` function with `strict: true` (OpenAI, vLLM, llama.cpp's server).
 * - `json-schema`: the final message, constrained by `response_format: json_schema` (also Ollama).
 * - `json-object`: JSON mode and the schema in the prompt, for endpoints with no schema support; the
 *   answer is validated and one repair turn quotes what was wrong.
 */
export const OUTPUT_MODES = ['strict-tools', 'json-schema', 'json-object'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

type FunctionTool = OpenAI.Chat.Completions.ChatCompletionFunctionTool;
type ResponseFormat = NonNullable<OpenAI.Chat.Completions.ChatCompletionCreateParams['response_format']>;

export interface FindingsRequest {
  /** The submit function offered with the read tools (strict-tools only). */
  readonly submit?: FunctionTool;
  /** Sent with every request (json modes only): the answer that is not a tool call is the findings. */
  readonly responseFormat?: ResponseFormat;
  /** Strict function calling needs one call at a time: parallel calls are not held to the schema. */
  readonly parallelToolCalls?: false;
  /** Added to the system prompt: how to finish in this mode. */
  readonly instructions: string;
  /** The repair turn: what was wrong, and how to answer again. */
  repair(problem: string): string;
}

const DESCRIPTION = 'Finish the investigation.';

/** The findings schema of this incident, in the form the chosen output mode sends it. */
export function findingsRequest(scope: FindingsScope, mode: OutputMode): FindingsRequest {
  const schema = findingsJsonSchema(scope);
  switch (mode) {
    case 'strict-tools':
      return {
        submit: {
          type: 'function',
          function: {
            name: SUBMIT_TOOL,
            description: DESCRIPTION,
            parameters: toStrictJsonSchema(schema) as Record<string, unknown>,
            strict: true,
          },
        },
        parallelToolCalls: false,
        instructions: '',
        repair: (problem) =>
          `That was not a valid answer (${problem}). Call ${SUBMIT_TOOL} now with findings that fix this.`,
      };
    case 'json-schema':
      return {
        responseFormat: {
          type: 'json_schema',
          json_schema: {
            name: SUBMIT_TOOL,
            description: DESCRIPTION,
            schema: toStrictJsonSchema(schema) as Record<string, unknown>,
            strict: true,
          },
        },
        instructions: `\n\nThis endpoint takes your findings as your final message, not as a ${SUBMIT_TOOL} call: when you are done, answer with the findings JSON object itself.`,
        repair: (problem) =>
          `That was not a valid answer (${problem}). Answer again with one findings JSON object that fixes this.`,
      };
    case 'json-object':
      return {
        responseFormat: { type: 'json_object' },
        instructions: `\n\nThis endpoint takes your findings as your final message, not as a ${SUBMIT_TOOL} call: when you are done, answer with ONE JSON object, nothing else, valid against this JSON Schema:\n${JSON.stringify(schema)}`,
        repair: (problem) =>
          `That was not a valid answer: ${problem}. Answer again with only one JSON object, valid against the schema, that fixes this.`,
      };
  }
}
