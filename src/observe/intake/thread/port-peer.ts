import type { MessagePort, Worker } from 'node:worker_threads';

/** A request's kinds and their payload → answer, as one side of the thread answers them. */
// biome-ignore lint/suspicious/noExplicitAny: a handler map is typed by the protocol that instantiates it
export type Api = Record<string, (payload: any) => unknown>;

export type Handlers<A extends Api> = {
  [K in keyof A]: (payload: Parameters<A[K]>[0]) => ReturnType<A[K]> | Promise<Awaited<ReturnType<A[K]>>>;
};

type Message =
  | { readonly call: number; readonly kind: string; readonly payload: unknown }
  | { readonly reply: number; readonly value: unknown }
  | { readonly reply: number; readonly error: { readonly message: string; readonly stack?: string } }
  | { readonly note: string; readonly payload: unknown };

/** One side of a worker thread's message channel: calls that are answered, and notes that are not. */
export interface PortPeer<Remote extends Api, RemoteNotes extends Api> {
  call<K extends keyof Remote & string>(
    kind: K,
    payload: Parameters<Remote[K]>[0],
  ): Promise<Awaited<ReturnType<Remote[K]>>>;
  note<K extends keyof RemoteNotes & string>(kind: K, payload: Parameters<RemoteNotes[K]>[0]): void;
  /** Fails every call still waiting (the other side is gone) and answers no more. */
  close(reason: Error): void;
}

/**
 * Connects `endpoint` (the Worker on the main side, parentPort inside it): our calls get an id and wait for
 * the reply with that id; the other side's calls run `handlers` and are answered, a thrown error crossing
 * back as an Error with its message; notes run `notes` and nothing answers them.
 */
export function connectPort<
  Remote extends Api,
  RemoteNotes extends Api,
  Local extends Api,
  LocalNotes extends Api,
>(
  endpoint: MessagePort | Worker,
  handlers: Handlers<Local>,
  notes: { [K in keyof LocalNotes]: (payload: Parameters<LocalNotes[K]>[0]) => void },
): PortPeer<Remote, RemoteNotes> {
  let next = 1;
  let closed: Error | undefined;
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();

  const answer = async (id: number, kind: string, payload: unknown) => {
    let message: Message;
    try {
      const handler = handlers[kind] as ((payload: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`no handler for ${kind}`);
      message = { reply: id, value: await handler(payload) };
    } catch (error) {
      const { message: text, stack } = error instanceof Error ? error : new Error(String(error));
      message = { reply: id, error: { message: text, ...(stack ? { stack } : {}) } };
    }
    if (!closed) endpoint.postMessage(message);
  };

  const receive = (message: Message) => {
    if ('call' in message) return void answer(message.call, message.kind, message.payload);
    if ('note' in message)
      return void (notes[message.note] as ((p: unknown) => void) | undefined)?.(message.payload);
    const pending = waiting.get(message.reply);
    if (!pending) return;
    waiting.delete(message.reply);
    if ('error' in message) {
      const error = new Error(message.error.message);
      if (message.error.stack) error.stack = message.error.stack;
      pending.reject(error);
    } else pending.resolve(message.value as never);
  };
  endpoint.on('message', receive);

  return {
    call(kind, payload) {
      if (closed) return Promise.reject(closed);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        endpoint.postMessage({ call: id, kind, payload } satisfies Message);
      });
    },
    note(kind, payload) {
      if (!closed) endpoint.postMessage({ note: kind, payload } satisfies Message);
    },
    close(reason) {
      closed = reason;
      endpoint.off('message', receive);
      for (const { reject } of waiting.values()) reject(reason);
      waiting.clear();
    },
  };
}
