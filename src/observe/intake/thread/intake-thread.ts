import { Worker } from 'node:worker_threads';
import { type Alert, type Clock, systemClock } from '../../../domain/index.ts';
import type { HealthRegistry } from '../../../health/index.ts';
import type { DeliveryLedger, DeliveryResult, IntakeLogger } from '../intake-options.ts';
import type {
  IntakeCalls,
  IntakeNotes,
  IntakeSettings,
  IntakeSnapshot,
  MainCalls,
  MainNotes,
  MainState,
} from './intake-protocol.ts';
import { connectPort } from './port-peer.ts';

/** How often the main thread looks for a change the intake thread must know before its next answer. */
const STATE_EVERY_MS = 100;
/** The intake thread's young generation: each delivery's garbage (body, JSON, alerts) dies there. */
const YOUNG_GENERATION_MB = 2;

export interface IntakeThreadOptions {
  /** The thread's module: src/boot/intake-worker.ts, which wires the inbox into the intake server. */
  readonly worker: URL;
  readonly settings: Omit<IntakeSettings, 'state' | 'metrics'>;
  /** Processes one delivery; the intake marks it in its inbox once this resolves. */
  readonly onAlerts: (alerts: Alert[]) => Promise<void>;
  readonly deliveries: DeliveryLedger;
  readonly clock: Clock;
  readonly logger: IntakeLogger;
  /** Where /healthz and /readyz are answered from: the intake's checks are mirrored into it. */
  readonly health: HealthRegistry;
  readonly ready: () => boolean;
  /** Why the store refuses writes: webhooks answer 503 with Retry-After while it does. */
  readonly unavailable: () => string | undefined;
  /** Serves GET /metrics on the intake port when given. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  readonly onDelivery: (source: string, result: DeliveryResult) => void;
}

export interface IntakeThread {
  readonly port: number;
  /** Deliveries accepted and not yet processed, as the intake thread last reported them. */
  readonly backlog: { readonly size: number; oldestAgeMs(): number };
  /**
   * Tells the intake thread the main thread's state now (ready, the store's failure, the clock) instead of
   * within the next STATE_EVERY_MS: after start-up, so the first /readyz is already ready.
   */
  sync(): void;
  /** No new deliveries. */
  stopListening(): Promise<void>;
  /** The deliveries being processed finish; those still waiting stay in the inbox for the next start. */
  stopProcessing(): Promise<void>;
  /** Writes the inbox cursor, closes the inbox and ends the thread. */
  close(): Promise<void>;
}

/**
 * Starts the webhook intake on a thread of its own (`options.worker`) and answers what it asks of the main
 * thread: each delivery to process, PagerDuty's delivery ledger, health and metrics. Resolves once it listens;
 * rejects, with the thread ended, when it cannot (the port taken, the inbox unreadable).
 */
export async function startIntakeThread(options: IntakeThreadOptions): Promise<IntakeThread> {
  const { health, logger } = options;
  const currentState = (): MainState => {
    const unavailable = options.unavailable();
    return {
      ...(unavailable ? { unavailable } : {}),
      ready: options.ready(),
      // The system clock is the intake thread's own; any other (a test's, the demo's) crosses as an offset.
      clockOffsetMs: options.clock === systemClock ? 0 : options.clock.now().getTime() - Date.now(),
    };
  };
  let sent = currentState();
  const pushState = () => {
    const now = currentState();
    if (
      now.unavailable === sent.unavailable &&
      now.ready === sent.ready &&
      now.clockOffsetMs === sent.clockOffsetMs
    )
      return;
    sent = now;
    thread.note('state', now);
  };

  let latest: IntakeSnapshot = { checks: [], backlog: { size: 0, capacity: 0, oldestAgeMs: 0 } };
  let gone: string | undefined;
  let stopping = false;
  const mirrored = new Set<string>();
  /** The intake's checks, added to the main thread's registry once, read from its latest snapshot. */
  const mirror = (snapshot: IntakeSnapshot) => {
    latest = snapshot;
    for (const { name, probes } of snapshot.checks) {
      if (mirrored.has(name)) continue;
      mirrored.add(name);
      health.add({
        name,
        probes,
        state: () =>
          gone
            ? {
                ok: false,
                detail: `the webhook intake thread stopped (${gone}): no alerts are being taken. Restart Belay; what was acknowledged is in the inbox.`,
              }
            : (latest.checks.find((c) => c.name === name)?.state ?? {
                ok: false,
                detail: `${name}: not reported`,
              }),
      });
    }
  };
  const worker = new Worker(options.worker, {
    workerData: { ...options.settings, metrics: !!options.metrics, state: sent },
    // A storm grows a young generation V8 keeps until a memory-reducing GC; capped, the thread's heap
    // returns to its idle size by itself.
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let listening: (port: number) => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const started = new Promise<number>((resolve, reject) => {
    listening = resolve;
    failed = reject;
  });
  const thread = connectPort<IntakeCalls, IntakeNotes, MainCalls, MainNotes>(
    worker,
    {
      alerts: async ({ alerts }) => {
        try {
          await options.onAlerts(alerts);
        } finally {
          // A store that just failed is known to the intake before this delivery's answer reaches it.
          pushState();
        }
      },
      markDelivery: ({ source, id }) => options.deliveries.markDelivery(source, id),
      health: ({ probe, snapshot }) => {
        mirror(snapshot);
        return health.answer(probe);
      },
      metrics: ({ snapshot }) => {
        mirror(snapshot);
        if (!options.metrics) throw new Error('metrics are served on their own port');
        return options.metrics();
      },
    },
    {
      listening: ({ port, snapshot }) => {
        mirror(snapshot);
        listening(port);
      },
      snapshot: mirror,
      log: ({ level, obj, msg }) => logger[level](obj, msg),
      delivery: ({ source, result }) => options.onDelivery(source, result as DeliveryResult),
      failed: ({ message }) => failed(new Error(`the webhook intake could not start: ${message}`)),
    },
  );
  const end = (why: string) => {
    thread.close(new Error(`the webhook intake thread stopped: ${why}`));
    if (stopping || gone) return;
    gone = why;
    failed(new Error(`the webhook intake could not start: ${why}`));
    logger.error({ part: 'intake' }, `the webhook intake thread stopped (${why}): restart Belay`);
  };
  worker.on('error', (error) => end(error.message));
  worker.on('exit', (code) => end(`it exited with code ${code}`));
  const timer = setInterval(pushState, STATE_EVERY_MS);
  timer.unref();

  let port: number;
  try {
    port = await started;
  } catch (error) {
    stopping = true;
    clearInterval(timer);
    await worker.terminate();
    throw error;
  }
  return {
    port,
    backlog: {
      get size() {
        return latest.backlog.size;
      },
      oldestAgeMs: () => latest.backlog.oldestAgeMs,
    },
    sync: pushState,
    async stopListening() {
      pushState();
      await thread.call('close', undefined);
    },
    stopProcessing: () => thread.call('stopProcessing', undefined),
    async close() {
      clearInterval(timer);
      // Before the call: the thread may end as soon as it has answered, and that exit is no failure.
      stopping = true;
      await thread.call('closeInbox', undefined).catch(() => undefined);
      await worker.terminate();
    },
  };
}
