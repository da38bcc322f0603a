import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free port of 127.0.0.1 and gives the base URL, as every fake server does. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; port: number }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port };
}

/** Closes a fake at once: answers it holds back on purpose (a scripted hang) and open connections included. */
export async function closeNow(server: Server, held: Iterable<ServerResponse> = []): Promise<void> {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}
