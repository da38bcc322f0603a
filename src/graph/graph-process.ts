import { type ChildProcess, fork } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphSpec } from '../domain/index.ts';
import { GRAPH_FONT_FILE } from './graph-font.ts';
import type { RenderReply, RenderRequest } from './render-child.ts';

const CHILD = fileURLToPath(new URL('./render-child.ts', import.meta.url));

export interface GraphProcessOptions {
  /** The child exits after this long without work, handing its memory back (default 30 s). */
  readonly idleMs?: number;
  /** One graph may take this long, the child's start included, before it is abandoned (default 30 s). */
  readonly timeoutMs?: number;
  readonly fontFile?: string;
  /** A child is replaced after drawing this many graphs, so a busy night cannot grow it without bound (default 20). */
  readonly graphsPerChild?: number;
}

export interface GraphProcess {
  /** The PNG; rejects with what went wrong (bad spec, a crash, a timeout). */
  render(spec: GraphSpec): Promise<Uint8Array>;
  /** Stops the child and refuses what is still waiting. */
  close(): Promise<void>;
  /** A child process is up (between the first graph and the end of the next quiet spell). */
  readonly running: boolean;
}

interface Waiting {
  /** The child it was sent to: only that child's exit fails it. */
  readonly child: ChildProcess;
  resolve(png: Uint8Array): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Draws graphs in a child process started on the first graph and stopped after a quiet spell: rasterising
 * takes tens of milliseconds of CPU and keeps a couple of hundred MB that the allocator does not give back,
 * and neither belongs in the process that acknowledges webhooks. A crash or a hang of the child costs one
 * graph (the thread says why), never Belay.
 */
export function createGraphProcess(options: GraphProcessOptions = {}): GraphProcess {
  const idleMs = options.idleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fontFile = options.fontFile ?? GRAPH_FONT_FILE;
  const graphsPerChild = options.graphsPerChild ?? 20;
  /** Graphs sent to the current child. */
  let drawn = 0;
  // Checked here, so a missing font fails at start-up and not on the first incident.
  try {
    accessSync(fontFile, constants.R_OK);
  } catch (error) {
    throw new Error(
      `Cannot read the graph font ${fontFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); reinstall Belay or point fontFile at a .ttf file`,
    );
  }
  let child: ChildProcess | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 0;
  let closed = false;
  const waiting = new Map<number, Waiting>();

  const failAll = (why: string, of?: ChildProcess) => {
    for (const [id, w] of waiting) {
      if (of && w.child !== of) continue;
      clearTimeout(w.timer);
      waiting.delete(id);
      w.reject(new Error(why));
    }
  };
  const stopChild = () => {
    const c = child;
    child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) c.kill();
  };

  function start(): ChildProcess {
    const c = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    c.on('message', (reply: RenderReply) => {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      clearTimeout(w.timer);
      if ('png' in reply) w.resolve(new Uint8Array(reply.png));
      else w.reject(new Error(reply.error));
      const busy = [...waiting.values()].some((other) => other.child === c);
      if (child === c && drawn >= graphsPerChild && !busy) stopChild();
      else if (waiting.size === 0) {
        idle = setTimeout(stopChild, idleMs);
        idle.unref();
      }
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      failAll(`the graph renderer stopped (${signal ?? `exit code ${code}`}) before it answered`, c);
    });
    c.on('error', (error) => failAll(`the graph renderer could not run: ${error.message}`, c));
    return c;
  }

  return {
    render(spec) {
      if (closed) return Promise.reject(new Error('Belay is stopping, so no graph is drawn'));
      clearTimeout(idle);
      if (!child) {
        child = start();
        drawn = 0;
      }
      drawn += 1;
      const id = ++nextId;
      const running = child;
      return new Promise<Uint8Array>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`drawing took longer than ${timeoutMs} ms, so it was abandoned`));
          // A renderer that hangs on one graph would hang on the next: start afresh.
          if (child === running) stopChild();
        }, timeoutMs);
        waiting.set(id, { child: running, resolve, reject, timer });
        const request: RenderRequest = { id, spec, ...(options.fontFile ? { fontFile } : {}) };
        running.send(request);
      });
    },
    get running() {
      return child !== undefined;
    },
    async close() {
      closed = true;
      clearTimeout(idle);
      failAll('Belay is stopping, so no graph is drawn');
      stopChild();
    },
  };
}
