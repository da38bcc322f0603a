import OpenAI from 'openai';
import { type Clock, formatDuration, type Incident, redact } from '../domain/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { type DailyTokenBudget, estimateTokens, type OrientBudgets } from './budgets.ts';
import { type Findings, parseFindings, SUBMIT_TOOL } from './findings.ts';
import { findingsRequest, type OutputMode } from './findings-request.ts';
import type { FindingsScope } from './findings-scope.ts';
import { incidentTools } from './incident-tools.ts';
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
  /** How the findings come back; `strict-tools` when absent. */
  readonly output?: OutputMode;
}

export interface LoopRequest {
  readonly system: string;
  /** Already redacted; redacted again here, since nothing reaches the model any other way. */
  readonly user: string;
  readonly incident: Incident;
  readonly tools: readonly ReadTool[];
  /** What the findings schema is narrowed to: this incident's own target. */
  readonly scope: FindingsScope;
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
  const contract = findingsRequest(request.scope, port.output ?? 'strict-tools');
  const final: FunctionTool[] = contract.submit ? [contract.submit] : [];
  const usable = incidentTools(request.tools, request.scope);
  const readTools = usable.map((t) => toFunctionTool(t, request.scope));
  const tools = [...readTools, ...final];
  const messages: Message[] = [
    { role: 'system', content: request.system + contract.instructions },
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
    const estimate = estimateTokens(
      JSON.stringify({ model: port.model, messages, tools: offered, format: contract.responseFormat }),
    );
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
  const invalidOutput = (what: string, problem: string) => {
    invalid += 1;
    rejected.push({ what: 'output', detail: what.slice(0, 200), reason: `not valid findings: ${problem}` });
  };

  while (true) {
    if (signal.aborted) return fail(abortReason(request.signal, budgets));
    if (spend.toolCalls >= budgets.toolCallsPerIncident) forceSubmit = true;
    const incidentLeft = budgets.promptTokensPerIncident - spend.promptTokens;
    const dailyLeft = daily.remaining(clock.now());
    if (predict(forceSubmit ? final : tools) > Math.min(incidentLeft, dailyLeft)) {
      if (forceSubmit || predict(final) > Math.min(incidentLeft, dailyLeft)) {
        return fail(
          dailyLeft < incidentLeft
            ? `the daily token budget of the bot is spent (${daily.limit} tokens a day; it resets at 00:00 UTC)`
            : `the token budget of this incident is spent (${spend.promptTokens} of ${budgets.promptTokensPerIncident} prompt tokens used)`,
        );
      }
      forceSubmit = true;
    }

    // Evidence must name a tool call, so the first turn reads: submit_findings (the largest schema, resent
    // with every request) is offered once something has been read, which saves it on the first call.
    const readFirst = !forceSubmit && spend.toolCalls === 0 && final.length > 0 && usable.length > 0;
    const offered = forceSubmit ? final : readFirst ? readTools : tools;
    const estimate = estimateTokens(
      JSON.stringify({ model: port.model, messages, tools: offered, format: contract.responseFormat }),
    );
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await port.client.chat.completions.create(
        {
          model: port.model,
          messages,
          ...(offered.length > 0
            ? {
                tools: offered,
                tool_choice:
                  forceSubmit && contract.submit
                    ? { type: 'function' as const, function: { name: SUBMIT_TOOL } }
                    : readFirst
                      ? ('required' as const)
                      : 'auto',
                ...(contract.parallelToolCalls === false ? { parallel_tool_calls: false } : {}),
              }
            : {}),
          ...(contract.responseFormat ? { response_format: contract.responseFormat } : {}),
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
      // The json modes answer this way; servers without tool_choice support may too.
      const findings = parseFindings(message?.content ?? '', request.scope);
      if (findings.ok) return done({ ok: true as const, findings: findings.value });
      invalidOutput(
        message?.content ?? `(empty, finish_reason ${response.choices[0]?.finish_reason})`,
        findings.problem,
      );
      if (invalid >= MAX_INVALID) return fail('the model twice gave no valid findings');
      messages.push({ role: 'assistant', content: message?.content ?? '' });
      messages.push({ role: 'user', content: contract.repair(findings.problem) });
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
      const findings = parseFindings(submit.arguments, request.scope);
      if (findings.ok) return done({ ok: true as const, findings: findings.value });
      invalidOutput(submit.arguments, findings.problem);
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
      invalidOutput(
        `${calls.map((c) => c.name).join(', ')} after the tool budget was spent`,
        `${SUBMIT_TOOL} was the only tool left`,
      );
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
      const outcome = await runToolCall(call, usable, {
        incident: request.incident,
        pods: request.scope.pods,
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
