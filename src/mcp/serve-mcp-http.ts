import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { checkWebhookAuth } from '../observe/intake/webhook-auth.ts';

export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Each client's bearer token: the token says who is calling. */
  readonly tokens: readonly { readonly name: string; readonly token: string }[];
  readonly serverFor: (client: string) => McpServer;
  readonly onError?: (error: unknown) => void;
}

export interface RunningMcpHttp {
  readonly port: number;
  close(): Promise<void>;
}

const PATH = '/mcp';
const MAX_BODY = 1_048_576;

/**
 * The Streamable HTTP endpoint at /mcp, stateless: each POST gets its own server for the client its bearer
 * token names, so nothing about one request outlives it except the client's rate limits (kept by the caller).
 */
export async function serveMcpHttp(options: McpHttpOptions): Promise<RunningMcpHttp> {
  if (options.tokens.length === 0)
    throw new Error('the MCP endpoint needs at least one client with a tokenEnv in the mcp section');
  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) reply(res, 500, -32603, 'Belay failed to answer this MCP request; see its log.');
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').split('?')[0] !== PATH)
      return reply(res, 404, -32601, `The MCP endpoint is ${PATH}.`);
    const client = clientOf(req.headers.authorization, options.tokens);
    if (!client) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="belay-mcp"');
      return reply(
        res,
        401,
        -32001,
        'Unauthorized: send the bearer token of a client named in the mcp section of belay.yaml (Authorization: Bearer …).',
      );
    }
    if (req.method !== 'POST')
      return reply(res, 405, -32000, 'This endpoint is stateless: send each JSON-RPC message as a POST.');
    const body = await readJson(req);
    if (!body.ok) return reply(res, body.status, -32700, body.message);
    const server = options.serverFor(client);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body.value);
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** Every token is compared in constant time, so timing does not tell which client (if any) nearly matched. */
function clientOf(header: string | undefined, tokens: McpHttpOptions['tokens']): string | undefined {
  const matches = tokens.map((t) => checkWebhookAuth(header, { type: 'bearer', token: t.token }));
  const at = matches.indexOf(true);
  return at < 0 ? undefined : tokens[at]?.name;
}

async function readJson(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return { ok: false, status: 413, message: 'The request is over 1 MiB; send less.' };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (error) {
    return { ok: false, status: 400, message: `The body is not JSON (${(error as Error).message}).` };
  }
}

function reply(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
