import { toStrictJsonSchema } from 'openai/lib/transform';
import type { ChatRequestBody, ScriptStep } from './openai-server.ts';
import { type JsonSchema, SchemaInstanceError, schemaInstance } from './schema-instance.ts';

// The fake OpenAI server's schema mode: a model that knows nothing but what the request declares. Whatever
// it answers is an instance of a schema the request sent, so a loose schema gets a loose (empty) answer, as
// a strict structured-output endpoint would give, and a hand-written script cannot hide it.

export type SchemaAnswer = { ok: true; step: ScriptStep } | { ok: false; error: string };

export function schemaAnswer(body: ChatRequestBody, options: { readRounds: number }): SchemaAnswer {
  const tools = (body.tools ?? []).map((t) => t.function);
  for (const tool of tools) {
    const problem = tool.strict ? strictProblem(tool.parameters) : undefined;
    if (problem) return { ok: false, error: `Invalid schema for function '${tool.name}': ${problem}` };
  }
  const format = body.response_format;
  if (format?.type === 'json_schema' && format.json_schema.strict) {
    const problem = strictProblem(format.json_schema.schema);
    if (problem)
      return {
        ok: false,
        error: `Invalid schema for response_format '${format.json_schema.name}': ${problem}`,
      };
  }
  try {
    const forced = forcedTool(body.tool_choice);
    const called = new Set(body.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.function.name)));
    const rounds = body.messages.filter((m) => m.role === 'assistant' && m.tool_calls?.length).length;
    // The findings come back as the response format's instance when one is declared, else through the
    // last tool declared (Belay's submit_findings, offered after the read tools).
    const finisher = format && format.type !== 'text' ? undefined : tools.at(-1);
    const fresh = tools.find((t) => !called.has(t.name) && t !== finisher);
    const chosen = forced
      ? tools.find((t) => t.name === forced)
      : body.tool_choice === 'none'
        ? undefined
        : rounds < options.readRounds && fresh
          ? fresh
          : finisher;
    if (forced && !chosen)
      return { ok: false, error: `Invalid 'tool_choice': no function named '${forced}' in 'tools'.` };
    if (chosen) {
      const args = schemaInstance((chosen.parameters ?? true) as JsonSchema);
      return {
        ok: true,
        step: { type: 'tool_calls', calls: [{ name: chosen.name, arguments: JSON.stringify(args) }] },
      };
    }
    if (format?.type === 'json_schema')
      return {
        ok: true,
        step: {
          type: 'message',
          content: JSON.stringify(schemaInstance((format.json_schema.schema ?? true) as JsonSchema)),
        },
      };
    return { ok: true, step: { type: 'message', content: format?.type === 'json_object' ? '{}' : '' } };
  } catch (error) {
    if (error instanceof SchemaInstanceError) return { ok: false, error: `Invalid schema: ${error.message}` };
    throw error;
  }
}

function forcedTool(choice: unknown): string | undefined {
  if (typeof choice !== 'object' || choice === null) return undefined;
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  return typeof name === 'string' ? name : undefined;
}

/** What OpenAI's strict mode refuses: an object that is open or has an optional property, and the unsupported keywords. */
export function strictProblem(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return 'the schema must be an object';
  try {
    toStrictJsonSchema(schema as Record<string, unknown>);
  } catch (error) {
    return (error as Error).message;
  }
  return openObject(schema, '');
}

function openObject(node: unknown, context: string): string | undefined {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) {
      const problem = openObject(child, `${context}/${i}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const s = node as Record<string, unknown>;
  if (s.type === 'object' || 'properties' in s) {
    if (s.additionalProperties !== false)
      return `In context=(${context}), 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys((s.properties ?? {}) as object);
    const required = Array.isArray(s.required) ? s.required : [];
    const missing = keys.find((k) => !required.includes(k));
    if (missing)
      return `In context=(${context}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  for (const [key, child] of Object.entries(s)) {
    const problem = openObject(child, `${context}/${key}`);
    if (problem) return problem;
  }
  return undefined;
}
