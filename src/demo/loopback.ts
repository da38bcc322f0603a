import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 (a free port unless one is asked for) and gives the base URL, as every fake does. */
export async function listenOnLoopback(server: Server, port = 0): Promise<{ url: string; port: number }> {
  server.listen(port, '127.0.0.1');
  // A port already taken fails here, instead of leaving the caller waiting forever.
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, port: bound };
}

/** Closes a fake at once: answers it holds back on purpose (a scripted hang) and open connections included. */
export async function closeNow(server: Server, held: Iterable<ServerResponse> = []): Promise<void> {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}
