import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** What Slack sends down the socket for each event, command or interaction (protocols.md §4.5). */
export interface Envelope {
  readonly envelope_id: string;
  readonly type: EnvelopeType;
  readonly payload: Record<string, unknown>;
  readonly accepts_response_payload: boolean;
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

/** The app's acknowledgement of one envelope, with how long after sending it arrived. */
export interface EnvelopeAck {
  readonly envelopeId: string;
  readonly payload?: Record<string, unknown>;
  readonly afterMs: number;
}

export interface FakeSocketMode {
  /** A single-use `ws://127.0.0.1` URL with a ticket, as `apps.connections.open` hands out. */
  issueUrl(): string;
  /** Connections open now (the handshake done and not yet closed). */
  openConnections(): number;
  /** Connections ever accepted. */
  readonly accepted: number;
  /** Upgrade attempts refused for a missing or reused ticket. */
  readonly refused: number;
  /** Sends an envelope to the newest open connection; returns its envelope_id. */
  send(envelope: Omit<Envelope, 'envelope_id' | 'accepts_response_payload'> & Partial<Envelope>): string;
  readonly acks: EnvelopeAck[];
  /** Resolves with the `count`-th ack of `envelopeId`. */
  waitForAck(envelopeId: string, count?: number): Promise<EnvelopeAck>;
  /** Cuts every open connection, as a network failure or a Slack outage does; the server stays up. */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * Slack's Socket Mode side, as a real WebSocket server on 127.0.0.1:0: it accepts only URLs that
 * `issueUrl` handed out (Slack's tickets are single-use), greets each connection with `hello`, sends
 * envelopes and records the acks the app sends back by envelope_id.
 */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const acks: EnvelopeAck[] = [];
  const sentAt = new Map<string, number>();
  const waiters: { envelopeId: string; count: number; resolve: (ack: EnvelopeAck) => void }[] = [];
  let accepted = 0;
  let refused = 0;

  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: ({ req }: { req: { url?: string } }) => {
      const ticket = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams.get('ticket');
      if (ticket && tickets.delete(ticket)) return true;
      refused += 1;
      return false;
    },
  });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  function record(ack: EnvelopeAck): void {
    acks.push(ack);
    for (const waiter of [...waiters]) {
      const matching = acks.filter((a) => a.envelopeId === waiter.envelopeId);
      if (matching.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(matching[waiter.count - 1] as EnvelopeAck);
      }
    }
  }

  server.on('connection', (socket) => {
    accepted += 1;
    open.push(socket);
    socket.on('close', () => open.splice(open.indexOf(socket), 1));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        envelope_id?: unknown;
        payload?: Record<string, unknown>;
      };
      if (typeof message.envelope_id !== 'string') return;
      const started = sentAt.get(message.envelope_id) ?? Date.now();
      record({
        envelopeId: message.envelope_id,
        ...(message.payload && Object.keys(message.payload).length > 0 ? { payload: message.payload } : {}),
        afterMs: Date.now() - started,
      });
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0BELAY' },
      }),
    );
  });

  return {
    issueUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=A0BELAY`;
    },
    openConnections: () => open.length,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    send(envelope) {
      const socket = open.at(-1);
      if (!socket) throw new Error('no Socket Mode connection is open to send to');
      const full: Envelope = { envelope_id: randomUUID(), accepts_response_payload: false, ...envelope };
      sentAt.set(full.envelope_id, Date.now());
      socket.send(JSON.stringify(full));
      return full.envelope_id;
    },
    acks,
    waitForAck(envelopeId, count = 1) {
      const matching = acks.filter((a) => a.envelopeId === envelopeId);
      const found = matching[count - 1];
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ envelopeId, count, resolve }));
    },
    dropConnections() {
      for (const socket of [...open]) socket.terminate();
    },
    async close() {
      for (const socket of open) socket.terminate();
      const closed = once(server, 'close');
      server.close();
      await closed;
    },
  };
}
