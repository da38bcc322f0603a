import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface CaptureServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Resolves with the first captured request matching, or rejects after `timeoutMs`. */
  waitFor(predicate: (r: CapturedRequest) => boolean, timeoutMs?: number): Promise<CapturedRequest>;
  close(): Promise<void>;
}

export type Responder = (request: CapturedRequest, res: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1:0 that records every request and answers through `respond`
 * (by default 200 `{"ok":true}`). Stands in for Slack's webhook and for PagerDuty's REST API.
 */
export async function startCaptureServer(respond?: Responder): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const waiters: { predicate: (r: CapturedRequest) => boolean; resolve: (r: CapturedRequest) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      for (const w of [...waiters]) {
        if (w.predicate(request)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(request);
        }
      }
      if (respond) respond(request, res);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching request within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
