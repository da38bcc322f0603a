import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

/** The page's static files: plain HTML, CSS and JavaScript, no build step. */
const FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/block-kit.js': { file: 'block-kit.js', type: 'text/javascript; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
} as const;

type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<unknown>;

/**
 * One HTTP server for the playground, on 127.0.0.1: the page at /, the page's endpoints, the Slack Web API
 * (/api/…) and response URLs (/response/…) Belay calls. Handlers are tried in order; the first that
 * answers wins.
 */
export async function createPageServer(
  handlers: () => readonly { prefix: string; handle: Handler }[],
): Promise<Server> {
  const dir = join(import.meta.dirname, 'page');
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [path, { file, type }] of Object.entries(FILES))
    files.set(path, { body: await readFile(join(dir, file)), type });

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = req.method === 'GET' ? files.get(path) : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
      return;
    }
    void (async () => {
      for (const { prefix, handle } of handlers()) {
        if (!path.startsWith(prefix)) continue;
        if ((await handle(req, res, path)) !== false) return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`the playground has nothing at ${path}`);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`the playground failed on ${path}: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
}
