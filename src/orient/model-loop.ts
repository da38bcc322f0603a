import OpenAI from 'openai';
import { type Clock, formatDuration, type Incident, redact } from '../domain/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { type DailyTokenBudget, estimateTokens, type OrientBudgets } from './budgets.ts';
import { type Findings, findingsJsonSchema, findingsSchema, SUBMIT_TOOL } from './findings.ts';
import { NO_SPEND, type Rejection, type Spend, type UntrustedQuote } from './orient-result.ts';
import { runToolCall, toFunctionTool } from './tool-runner.ts';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type FunctionTool = OpenAI.Chat.Completions.ChatCompletionFunctionTool;

export interface ModelPort {
  readonly client: OpenAI;
  readonly model: string;
  /** Per HTTP request; the SDK retries 408/409/429/5xx and connection errors `maxRetries` times. */
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly budgets: OrientBudgets;
  readonly daily: DailyTokenBudget;
}

export interface LoopRequest {
  readonly system: string;
  /** Already redacted; redacted again here, since nothing reaches the model any other way. */
  readonly user: string;
  readonly incident: Incident;
  readonly tools: readonly ReadTool[];
  readonly signal?: AbortSignal;
}

export interface ToolOutput {
  readonly tool: string;
  readonly content: string;
}

interface Transcript {
  readonly outputs: ReadonlyMap<string, ToolOutput>;
  readonly rejected: readonly Rejection[];
  readonly quotes: readonly UntrustedQuote[];
  readonly spend: Spend;
}

export type LoopResult =
  | ({ readonly ok: true; readonly findings: Findings } & Transcript)
  | ({ readonly ok: false; readonly reason: string } & Transcript);

const SUBMIT: FunctionTool = {
  type: 'function',
  function: {
    name: SUBMIT_TOOL,
    description:
      'Finish the investigation: summary, suspected cause with evidence, at most one catalog action.',
    parameters: findingsJsonSchema(),
  },
};
const MAX_INVALID = 2;

/**
 * The investigation: offer the read tools, run what the model calls, feed the results back, and stop at
 * `submit_findings` or at a budget. Returns why it stopped instead of throwing, so the caller can fall back.
 */
export async function runModelLoop(port: ModelPort, request: LoopRequest, clock: Clock): Promise<LoopResult> {
  const { budgets, daily } = port;
  const started = clock.now().getTime();
  const deadline = AbortSignal.timeout(budgets.wallClockPerIncident);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  const tools = [...request.tools.map(toFunctionTool), SUBMIT];
  const messages: Message[] = [
    { role: 'system', content: request.system },
    { role: 'user', content: redact(request.user) },
  ];
  const outputs = new Map<string, ToolOutput>();
  const rejected: Rejection[] = [];
  const quotes: UntrustedQuote[] = [];
  let spend: Spend = { ...NO_SPEND };
  let invalid = 0;
  let forceSubmit = false;
  // The next prompt's size, predicted from the last one the server counted plus what was added since:
  // calibrated by the server's own tokenizer, so a budget is kept even where characters/4 is off.
  let last: { reported: number; estimated: number } | undefined;
  const predict = (offered: readonly FunctionTool[]): number => {
    const estimate = estimateTokens(JSON.stringify({ model: port.model, messages, tools: offered }));
    const predicted = last ? last.reported + (estimate - last.estimated) : estimate;
    return Math.ceil(predicted * 1.05);
  };

  const done = <R extends { ok: boolean }>(r: R): R & Transcript => ({
    ...r,
    outputs,
    rejected,
    quotes,
    spend: { ...spend, wallMs: clock.now().getTime() - started },
  });
  const fail = (reason: string) => done({ ok: false as const, reason });
  const invalidOutput = (what: string) => {
    invalid += 1;
    rejected.push({ what: 'output', detail: what.slice(0, 200), reason: 'not a valid submit_findings call' });
  };

  while (true) {
    if (signal.aborted) return fail(abortReason(request.signal, budgets));
    if (spend.toolCalls >= budgets.toolCallsPerIncident) forceSubmit = true;
    const incidentLeft = budgets.promptTokensPerIncident - spend.promptTokens;
    const dailyLeft = daily.remaining(clock.now());
    if (predict(forceSubmit ? [SUBMIT] : tools) > Math.min(incidentLeft, dailyLeft)) {
      if (forceSubmit || predict([SUBMIT]) > Math.min(incidentLeft, dailyLeft)) {
        return fail(
          dailyLeft < incidentLeft
            ? `the daily token budget of the bot is spent (${daily.limit} tokens a day; it resets at 00:00 UTC)`
            : `the token budget of this incident is spent (${spend.promptTokens} of ${budgets.promptTokensPerIncident} prompt tokens used)`,
        );
      }
      forceSubmit = true;
    }

    const offered = forceSubmit ? [SUBMIT] : tools;
    const estimate = estimateTokens(JSON.stringify({ model: port.model, messages, tools: offered }));
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await port.client.chat.completions.create(
        {
          model: port.model,
          messages,
          tools: offered,
          tool_choice: forceSubmit ? { type: 'function', function: { name: SUBMIT_TOOL } } : 'auto',
        },
        { signal, timeout: port.requestTimeoutMs, maxRetries: port.maxRetries },
      );
    } catch (error) {
      spend = { ...spend, modelCalls: spend.modelCalls + 1 };
      return fail(describeModelError(error, request.signal, budgets, port));
    }
    const usage = response.usage;
    const promptTokens = usage?.prompt_tokens ?? estimate;
    last = { reported: promptTokens, estimated: estimate };
    const completionTokens =
      usage?.completion_tokens ?? estimateTokens(JSON.stringify(response.choices[0]?.message ?? ''));
    spend = {
      ...spend,
      modelCalls: spend.modelCalls + 1,
      promptTokens: spend.promptTokens + promptTokens,
      completionTokens: spend.completionTokens + completionTokens,
      usageReported: spend.usageReported && usage !== undefined && usage !== null,
    };
    daily.spend(clock.now(), promptTokens + completionTokens);

    const message = response.choices[0]?.message;
    const calls = (message?.tool_calls ?? []).flatMap((c) =>
      c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [],
    );
    if (calls.length === 0) {
      // Servers without tool_choice support may answer in plain JSON; accept it if it is valid findings.
      const findings = parseFindings(message?.content ?? '');
      if (findings.ok) return done({ ok: true as const, findings: findings.value });
      invalidOutput(message?.content ?? `(empty, finish_reason ${response.choices[0]?.finish_reason})`);
      if (invalid >= MAX_INVALID) return fail('the model twice gave no valid findings');
      messages.push({ role: 'assistant', content: message?.content ?? '' });
      messages.push({
        role: 'user',
        content: `That was not a valid answer (${findings.problem}). Call ${SUBMIT_TOOL} now with your findings.`,
      });
      forceSubmit = true;
      continue;
    }

    messages.push({
      role: 'assistant',
      content: message?.content ?? null,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    const submit = calls.find((c) => c.name === SUBMIT_TOOL);
    if (submit) {
      const findings = parseFindings(submit.arguments);
      if (findings.ok) return done({ ok: true as const, findings: findings.value });
      invalidOutput(submit.arguments);
      if (invalid >= MAX_INVALID) return fail('the model twice gave findings that did not validate');
      for (const c of calls)
        messages.push({
          role: 'tool',
          tool_call_id: c.id,
          content: JSON.stringify({
            error:
              c === submit
                ? `findings rejected: ${findings.problem}; call ${SUBMIT_TOOL} again with valid findings`
                : `not run: ${SUBMIT_TOOL} must be the only call`,
          }),
        });
      forceSubmit = true;
      continue;
    }
    if (forceSubmit) {
      invalidOutput(`${calls.map((c) => c.name).join(', ')} after the tool budget was spent`);
      if (invalid >= MAX_INVALID) return fail('the model kept calling tools after its tool budget was spent');
    }
    for (const call of calls) {
      if (forceSubmit || spend.toolCalls >= budgets.toolCallsPerIncident) {
        messages.push({
          role: 'tool',
          tool_call_id: call.id,
          content: JSON.stringify({
            error: `not run: the budget of ${budgets.toolCallsPerIncident} tool calls is spent; call ${SUBMIT_TOOL} now`,
          }),
        });
        continue;
      }
      spend = { ...spend, toolCalls: spend.toolCalls + 1 };
      const outcome = await runToolCall(call, request.tools, {
        incident: request.incident,
        outputChars: budgets.toolOutputChars,
        signal,
      });
      if (outcome.truncated) spend = { ...spend, truncatedOutputs: spend.truncatedOutputs + 1 };
      if (outcome.rejection) rejected.push(outcome.rejection);
      quotes.push(...outcome.quotes);
      outputs.set(call.id, { tool: call.name, content: outcome.content });
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
    }
  }
}

function parseFindings(text: string): { ok: true; value: Findings } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, problem: 'the arguments are not JSON' };
  }
  const parsed = findingsSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problem: parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(findings)'}: ${i.message}`)
      .join('; '),
  };
}

function abortReason(caller: AbortSignal | undefined, budgets: OrientBudgets): string {
  return caller?.aborted
    ? 'the investigation was cancelled'
    : `the investigation ran out of time (${formatDuration(budgets.wallClockPerIncident)} per incident)`;
}

/** What went wrong with the model, in words for the incident message. */
function describeModelError(
  error: unknown,
  caller: AbortSignal | undefined,
  budgets: OrientBudgets,
  port: ModelPort,
): string {
  const tries = `after ${port.maxRetries + 1} attempts`;
  if (error instanceof OpenAI.APIUserAbortError) return abortReason(caller, budgets);
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return `the model did not answer within ${formatDuration(port.requestTimeoutMs)} ${tries}`;
  if (error instanceof OpenAI.APIConnectionError) return `the model endpoint could not be reached ${tries}`;
  if (error instanceof OpenAI.RateLimitError)
    return `the model endpoint is rate-limiting Belay (429) ${tries}`;
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError)
    return `the model endpoint refused Belay's API key (${error.status}); check OPENAI_API_KEY`;
  if (error instanceof OpenAI.APIError)
    return `the model endpoint answered ${error.status ?? 'an error'}${
      (error.status ?? 0) >= 500 ? ` ${tries}` : ''
    }: ${redact(error.message).slice(0, 200)}`;
  return `the model call failed: ${redact(String((error as Error)?.message ?? error)).slice(0, 200)}`;
}
