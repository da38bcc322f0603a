import type OpenAI from 'openai';
import type { Incident } from '../domain/index.ts';
import { redact, redactDeep } from '../domain/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { toolParameters } from './findings.ts';
import { narrowToolParameters, pinnedArguments, type ReadScope } from './narrow-tool-parameters.ts';
import type { Rejection, UntrustedQuote } from './orient-result.ts';
import { findUntrustedQuotes } from './untrusted-quotes.ts';

/**
 * A read tool as the model sees it: a function whose parameters are the tool's zod input as JSON Schema,
 * narrowed to this incident (narrowToolParameters). The tool's own zod input still validates every call.
 */
export function toFunctionTool(
  tool: ReadTool,
  scope?: ReadScope,
): OpenAI.Chat.Completions.ChatCompletionFunctionTool {
  const parameters = toolParameters(tool.input);
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: scope ? narrowToolParameters(tool.name, parameters, scope) : parameters,
    },
  };
}

export interface ToolCallOutcome {
  /** What goes back to the model as the tool message: redacted, capped, always a string. */
  readonly content: string;
  readonly truncated: boolean;
  readonly rejection?: Rejection;
  readonly quotes: readonly UntrustedQuote[];
}

const MAX_ERROR = 1_000;

/**
 * Runs one tool call the model asked for. Unknown tools, malformed arguments, calls outside the incident
 * and tool failures all come back as data the model can read, never as an exception.
 */
export async function runToolCall(
  call: { readonly id: string; readonly name: string; readonly arguments: string },
  tools: readonly ReadTool[],
  scope: {
    readonly incident: Incident;
    readonly outputChars: number;
    readonly signal?: AbortSignal;
    /** The incident's pods the tools were narrowed to (narrowToolParameters); absent: none known. */
    readonly pods?: readonly string[];
  },
): Promise<ToolCallOutcome> {
  const refuse = (reason: string): ToolCallOutcome => ({
    content: JSON.stringify({ error: redact(reason).slice(0, MAX_ERROR) }),
    truncated: false,
    rejection: { what: 'tool-call', detail: `${call.name}(${redact(call.arguments).slice(0, 200)})`, reason },
    quotes: [],
  });
  const tool = tools.find((t) => t.name === call.name);
  if (!tool)
    return refuse(`there is no tool "${call.name}"; the tools are: ${tools.map((t) => t.name).join(', ')}`);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return refuse(`the arguments are not valid JSON (${(error as Error).message}); send a JSON object`);
  }
  // What the incident fixes was not asked of the model (narrowToolParameters): fill it in. A value the
  // model sent anyway wins, and outsideScope below refuses it when it leaves the incident.
  if (typeof args === 'object' && args !== null && !Array.isArray(args))
    args = {
      ...pinnedArguments(tool.name, toolParameters(tool.input), {
        namespace: scope.incident.namespace,
        pods: scope.pods ?? [],
      }),
      ...args,
    };
  const parsed = tool.input.safeParse(args);
  if (!parsed.success)
    return refuse(
      `invalid arguments for ${tool.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
    );
  const outside = outsideScope(parsed.data, scope.incident);
  if (outside) return refuse(outside);
  let result: { data: unknown; truncated?: string };
  try {
    result = await tool.run(parsed.data, {
      cluster: scope.incident.cluster,
      ...(scope.signal ? { signal: scope.signal } : {}),
    });
  } catch (error) {
    const content = JSON.stringify({
      error: `${tool.name} failed: ${redact(String((error as Error)?.message ?? error)).slice(0, MAX_ERROR)}`,
    });
    return { content, truncated: false, quotes: [] };
  }
  const bounded = boundToolOutput(tool.name, result, scope.outputChars);
  const quotes = findUntrustedQuotes(bounded.data, `${tool.name}#${call.id}`);
  return { content: bounded.content, truncated: bounded.truncated, quotes };
}

/**
 * A tool's answer as whoever asked reads it: redacted, with its truncation note, cut to `outputChars`
 * with a note that says so. The investigation and the MCP server share it, so both get the same budget.
 */
export function boundToolOutput(
  toolName: string,
  result: { readonly data: unknown; readonly truncated?: string },
  outputChars: number,
): { readonly content: string; readonly truncated: boolean; readonly data: unknown } {
  const data = redactDeep(result.data);
  const full = JSON.stringify(result.truncated ? { data, truncated: redact(result.truncated) } : { data });
  if (full.length <= outputChars) return { content: redact(full), truncated: false, data };
  const note = `\n[cut by Belay: showing the first ${outputChars} of ${full.length} characters of ${toolName}; ask with a narrower query for the rest]`;
  return { content: redact(full.slice(0, outputChars)) + note, truncated: true, data };
}

/** Read tools stay in the incident's cluster (the context says so) and namespace (checked here). */
function outsideScope(input: unknown, incident: Incident): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { namespace, cluster } = input as { namespace?: unknown; cluster?: unknown };
  if (typeof namespace === 'string' && namespace !== incident.namespace)
    return `this investigation reads only namespace ${incident.namespace}, not ${namespace}`;
  if (typeof cluster === 'string' && cluster !== incident.cluster)
    return `this investigation reads only cluster ${incident.cluster}, not ${cluster}`;
  return undefined;
}
