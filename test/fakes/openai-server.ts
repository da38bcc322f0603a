import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from './loopback.ts';
import { schemaAnswer } from './schema-answer.ts';

// A real HTTP server that speaks /v1/chat/completions the way OpenAI does, scripted per test. The openai SDK
// reaches it through `baseURL`, so retries, timeouts and error classes are the SDK's own, not imitations.

export interface ScriptedToolCall {
  readonly name: string;
  /** Sent verbatim, so a test can send malformed JSON. */
  readonly arguments: string;
  readonly id?: string;
}

export type ScriptStep =
  | { readonly type: 'tool_calls'; readonly calls: readonly ScriptedToolCall[]; readonly content?: string }
  | {
      readonly type: 'message';
      readonly content: string;
      readonly finishReason?: 'stop' | 'length' | 'content_filter';
    }
  | {
      readonly type: 'error';
      readonly status: number;
      readonly message: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Answer only after `ms`, to make the client time out. */
  | { readonly type: 'slow'; readonly ms: number; readonly answer: ScriptStep };

/** A step, or a function of the request the model would have seen (to answer what was asked). */
export type Responder = ScriptStep | ((request: RecordedRequest) => ScriptStep);

export interface RecordedRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  /** The raw body as received: what a test searches for leaked secrets. */
  readonly raw: string;
  readonly body: ChatRequestBody;
}

export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly {
    type: string;
    function: { name: string; parameters?: unknown; strict?: boolean | null };
  }[];
  readonly tool_choice?: unknown;
  readonly response_format?:
    | { type: 'text' | 'json_object' }
    | { type: 'json_schema'; json_schema: { name: string; schema?: unknown; strict?: boolean | null } };
}

export interface ChatMessage {
  readonly role: string;
  readonly content?: string | null;
  readonly tool_calls?: readonly { id: string; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
}

export interface FakeOpenAIOptions {
  /**
   * `scripted` (default): answers from `script`/`repeat`. `schema`: answers only from what the request
   * declares, as a schema-constrained model would (schema-answer.ts): a forced tool is called, else the
   * next tool not yet called (up to `readRounds` rounds), then the findings: the last tool declared, or the
   * `response_format` schema's instance. Every value is the minimal one its schema allows.
   */
  readonly mode?: 'scripted' | 'schema';
  /** Schema mode: rounds of tool calls before the final answer; default 2. */
  readonly readRounds?: number;
  readonly script?: readonly Responder[];
  /** What to answer once the script is used up; without it the server answers 500 "script exhausted". */
  readonly repeat?: Responder;
  /** Some compatible servers (older Ollama, vLLM) send no usage. */
  readonly omitUsage?: boolean;
  readonly apiKey?: string;
}

export interface FakeOpenAI {
  readonly baseURL: string;
  readonly requests: readonly RecordedRequest[];
  /** prompt_tokens the server reported, per completion it answered. */
  readonly promptTokens: readonly number[];
  close(): Promise<void>;
}

/** Roughly what a BPE tokenizer gives for English and JSON: one token per four characters. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const script = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const promptTokens: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error');
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`)
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      return sendError(
        res,
        400,
        'We could not parse the JSON body of your request.',
        'invalid_request_error',
      );
    }
    const recorded = { path: req.url, authorization: req.headers.authorization, raw, body };
    requests.push(recorded);
    const problem = validate(body);
    if (problem) return sendError(res, 400, problem, 'invalid_request_error');
    if (options.mode === 'schema') {
      const answer = schemaAnswer(body, { readRounds: options.readRounds ?? 2 });
      if (!answer.ok) return sendError(res, 400, answer.error, 'invalid_request_error');
      return respond(res, answer.step, raw);
    }
    const next = script.shift() ?? options.repeat;
    if (!next) return sendError(res, 500, 'fake OpenAI server: script exhausted', 'server_error');
    respond(res, typeof next === 'function' ? next(recorded) : next, raw);
  }

  function respond(res: ServerResponse, step: ScriptStep, raw: string): void {
    if (step.type === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) respond(res, step.answer, raw);
      }, step.ms);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    if (step.type === 'error') {
      const type = step.status === 429 ? 'rate_limit_exceeded' : step.status >= 500 ? 'server_error' : null;
      sendError(res, step.status, step.message, type ?? 'invalid_request_error', null, step.headers);
      return;
    }
    seq += 1;
    const message =
      step.type === 'tool_calls'
        ? {
            role: 'assistant',
            content: step.content ?? null,
            refusal: null,
            tool_calls: step.calls.map((call, i) => ({
              id: call.id ?? `call_${seq}_${i}`,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : { role: 'assistant', content: step.content, refusal: null };
    const finish = step.type === 'tool_calls' ? 'tool_calls' : (step.finishReason ?? 'stop');
    const prompt = estimateTokens(raw);
    const completion = estimateTokens(JSON.stringify(message));
    promptTokens.push(prompt);
    const usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    sendJson(res, 200, {
      id: `chatcmpl-fake${seq}`,
      object: 'chat.completion',
      created: 1_795_000_000 + seq,
      model: 'fake-model',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      ...(options.omitUsage ? {} : { usage }),
      system_fingerprint: 'fp_fake',
    });
  }

  const { port } = await listenOnLoopback(server);
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    promptTokens,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await closeNow(server);
    },
  };
}

/** The request checks OpenAI makes that a broken loop would trip over. */
function validate(body: ChatRequestBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return "Invalid 'messages': empty array. Expected an array with minimum length 1.";
  for (const tool of body.tools ?? []) {
    if (tool.type !== 'function' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.function?.name ?? ''))
      return `Invalid 'tools': function name must match ^[a-zA-Z0-9_-]{1,64}$`;
  }
  const answered = new Set(body.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id));
  for (const [i, m] of body.messages.entries()) {
    if (m.role === 'tool' && typeof m.content !== 'string')
      return `Invalid 'messages[${i}].content': a tool message's content must be a string.`;
    for (const call of m.tool_calls ?? [])
      if (!answered.has(call.id))
        return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
  }
  return undefined;
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake', ...headers });
  res.end(JSON.stringify(body));
}
