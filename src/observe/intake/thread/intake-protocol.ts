// What crosses between the main thread and the intake thread. Everything here is structured-cloneable data:
// the intake thread holds the HTTP server, the inbox and the delivery queue; the main thread holds the clock,
// the store, the health registry, the metrics and the processing.
import type { Alert } from '../../../domain/index.ts';
import type { CheckState, HealthAnswer, Probe } from '../../../health/index.ts';
import type { IntakeServerOptions } from '../intake-options.ts';

/** How the intake thread is set up: plain data, read once when it starts. */
export interface IntakeSettings
  extends Pick<
    IntakeServerOptions,
    | 'alertmanager'
    | 'pagerduty'
    | 'queueCapacity'
    | 'deliveryConcurrency'
    | 'maxBacklogAgeMs'
    | 'maxBodyBytes'
  > {
  readonly inboxDir: string;
  readonly port: number;
  readonly host: string;
  /** Serve GET /metrics (scraped on the main thread). */
  readonly metrics: boolean;
  /** The main thread's state when the thread starts; later changes arrive as `state` notes. */
  readonly state: MainState;
}

/** What the intake thread needs synchronously on every delivery, kept current by the main thread. */
export interface MainState {
  /** Why the store refuses writes (webhooks answer 503), or undefined. */
  readonly unavailable?: string;
  readonly ready: boolean;
  /** The main thread's clock minus the system clock: 0 in production, a test's or the demo's offset otherwise. */
  readonly clockOffsetMs: number;
}

/** The intake's own health checks and backlog, as the intake thread last saw them. */
export interface IntakeSnapshot {
  readonly checks: readonly {
    readonly name: string;
    readonly probes: readonly Probe[];
    readonly state: CheckState;
  }[];
  readonly backlog: { readonly size: number; readonly capacity: number; readonly oldestAgeMs: number };
}

/** Calls the main thread answers. */
export type MainCalls = {
  /** Resolves once the delivery is processed (the intake then marks it in the inbox); rejects if it failed. */
  alerts(payload: { readonly alerts: Alert[] }): void;
  markDelivery(payload: { readonly source: string; readonly id: string }): boolean;
  health(payload: { readonly probe: Probe; readonly snapshot: IntakeSnapshot }): HealthAnswer;
  metrics(payload: { readonly snapshot: IntakeSnapshot }): {
    readonly contentType: string;
    readonly body: string;
  };
};

/** Notes to the main thread: nothing waits for them. */
export type MainNotes = {
  /** The intake thread is listening; what it had accepted before the last stop is queued first. */
  listening(payload: { readonly port: number; readonly snapshot: IntakeSnapshot }): void;
  snapshot(payload: IntakeSnapshot): void;
  log(payload: { readonly level: 'warn' | 'error'; readonly obj: object; readonly msg: string }): void;
  delivery(payload: { readonly source: string; readonly result: string }): void;
  /** The thread could not start; the main thread's start fails with this. */
  failed(payload: { readonly message: string }): void;
};

/** Calls the intake thread answers, in the order a stop makes them. */
export type IntakeCalls = {
  /** Stops listening: no new deliveries. */
  close(payload: undefined): void;
  /** Lets the deliveries being processed finish; those still waiting stay in the inbox for the next start. */
  stopProcessing(payload: undefined): void;
  /** Writes the inbox cursor and closes the inbox file. */
  closeInbox(payload: undefined): void;
};

export type IntakeNotes = {
  state(payload: MainState): void;
};
