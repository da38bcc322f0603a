// The intake thread's composition root (startIntakeThread starts it): Belay's webhook server, its durable
// inbox and its delivery queue, on an event loop of their own, so acknowledging a delivery never waits
// behind the investigations, audit records and state writes of the ones already acknowledged. The OS
// shares the CPU between the two threads; the inbox writes with blocking calls here, so its fsync does not
// queue behind the main thread's file work in libuv's shared pool either. What needs the store, the clock
// or the health registry is asked of the main thread.
import { parentPort, workerData } from 'node:worker_threads';
// Files, not folder indexes: this thread loads only what intake needs, and every module costs its memory.
import { createIntakeInbox, type IntakeInbox } from '../govern/store/intake-inbox.ts';
import { createHealthRegistry } from '../health/health-registry.ts';
import { createIntakeServer, type IntakeServer } from '../observe/intake/intake-server.ts';
import type {
  IntakeCalls,
  IntakeNotes,
  IntakeSettings,
  IntakeSnapshot,
  MainCalls,
  MainNotes,
  MainState,
} from '../observe/intake/thread/intake-protocol.ts';
import { connectPort } from '../observe/intake/thread/port-peer.ts';

const SNAPSHOT_EVERY_MS = 1_000;

if (parentPort) await run(parentPort, workerData as IntakeSettings);

async function run(port: NonNullable<typeof parentPort>, settings: IntakeSettings): Promise<void> {
  let mainState: MainState = settings.state;
  let intake: IntakeServer | undefined;
  let inbox: IntakeInbox | undefined;
  let snapshots: NodeJS.Timeout | undefined;
  const main = connectPort<MainCalls, MainNotes, IntakeCalls, IntakeNotes>(
    port,
    {
      close: async () => {
        clearInterval(snapshots);
        await intake?.close();
      },
      stopProcessing: async () => {
        await intake?.queue.stop();
      },
      closeInbox: async () => {
        await inbox?.close();
        main.close(new Error('the intake thread has stopped'));
      },
    },
    {
      state: (next) => {
        mainState = next;
      },
    },
  );
  const health = createHealthRegistry();
  const snapshot = (): IntakeSnapshot => ({
    checks: health.states().map(({ check, state }) => ({ name: check.name, probes: check.probes, state })),
    backlog: intake
      ? { size: intake.queue.size, capacity: intake.queue.capacity, oldestAgeMs: intake.queue.oldestAgeMs() }
      : { size: 0, capacity: 0, oldestAgeMs: 0 },
  });
  /** An error's message and stack as data: the log line crosses to the main thread's logger. */
  const loggable = (obj: object): object => {
    const err = (obj as { err?: unknown }).err;
    if (!(err instanceof Error)) return obj;
    return { ...obj, err: { type: err.name, message: err.message, stack: err.stack } };
  };
  try {
    inbox = await createIntakeInbox({ dir: settings.inboxDir });
    intake = createIntakeServer({
      onAlerts: (alerts) => main.call('alerts', { alerts }),
      inbox,
      unavailable: () => mainState.unavailable,
      health,
      answerHealth: (probe) => main.call('health', { probe, snapshot: snapshot() }),
      deliveries: { markDelivery: (source, id) => main.call('markDelivery', { source, id }) },
      clock: { now: () => new Date(Date.now() + mainState.clockOffsetMs) },
      logger: {
        warn: (obj, msg) => main.note('log', { level: 'warn', obj: loggable(obj), msg }),
        error: (obj, msg) => main.note('log', { level: 'error', obj: loggable(obj), msg }),
      },
      ready: () => mainState.ready,
      onDelivery: (source, result) => main.note('delivery', { source, result }),
      ...(settings.metrics ? { metrics: () => main.call('metrics', { snapshot: snapshot() }) } : {}),
      ...(settings.alertmanager ? { alertmanager: settings.alertmanager } : {}),
      ...(settings.pagerduty ? { pagerduty: settings.pagerduty } : {}),
      ...(settings.queueCapacity === undefined ? {} : { queueCapacity: settings.queueCapacity }),
      ...(settings.deliveryConcurrency === undefined
        ? {}
        : { deliveryConcurrency: settings.deliveryConcurrency }),
      ...(settings.maxBacklogAgeMs === undefined ? {} : { maxBacklogAgeMs: settings.maxBacklogAgeMs }),
      ...(settings.maxBodyBytes === undefined ? {} : { maxBodyBytes: settings.maxBodyBytes }),
    });
    const address = await intake.listen(settings.port, settings.host);
    main.note('listening', { port: address.port, snapshot: snapshot() });
    // Health and metrics on the main thread read the intake's checks from here between scrapes.
    snapshots = setInterval(() => main.note('snapshot', snapshot()), SNAPSHOT_EVERY_MS);
    snapshots.unref();
  } catch (error) {
    await inbox?.close().catch(() => undefined);
    main.note('failed', { message: (error as Error).message });
  }
}
