// What the webhook intake is given and reports: its ports (the delivery ledger, the inbox, the logger) and
// options, apart from the server that uses them, so the intake thread's protocol can name them too.
import type { Alert, Clock } from '../../domain/index.ts';
import type { HealthAnswer, HealthRegistry, Probe } from '../../health/index.ts';
import type { PagerDutyServiceLabels } from './pagerduty-webhook.ts';
import type { WebhookAuth } from './webhook-auth.ts';

/** Remembers delivery ids; true the first time an id is seen. The state store implements it. */
export interface DeliveryLedger {
  markDelivery(source: string, id: string): boolean | Promise<boolean>;
}

/** What intake logs; pino's logger satisfies it. */
export interface IntakeLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Where each accepted delivery is kept (on disk) before the webhook answers, and how far processing got.
 * The composition root wires the store's inbox file here; intake knows only this port.
 */
export interface IntakeInbox {
  /** Resolves with the delivery's seq once it is durably kept; rejects when it could not be. */
  append(source: string, alerts: readonly Alert[]): Promise<number>;
  processed(seq: number): Promise<void>;
  /** Deliveries kept before the last stop and not processed: replayed first, ahead of new ones. */
  readonly pending: readonly { readonly seq: number; readonly alerts: readonly Alert[] }[];
  /** Why the inbox cannot keep deliveries right now, or undefined while it can. */
  problem(): string | undefined;
}

/** One queued delivery; `seq` is its place in the inbox, when there is one. */
export interface Delivery {
  readonly alerts: readonly Alert[];
  readonly seq?: number;
}

export interface IntakeServerOptions {
  /**
   * Where accepted alerts go, one call per delivery, called in the order deliveries were accepted; up to
   * `deliveryConcurrency` run at once, so a huge delivery does not hold up the ones behind it.
   */
  readonly onAlerts: (alerts: Alert[]) => Promise<void> | void;
  /** Deliveries processed at once (default 4); the inbox cursor passes a delivery only once it is done. */
  readonly deliveryConcurrency?: number;
  /** Absent: deliveries are kept in memory only, and a crash loses what was acknowledged. */
  readonly inbox?: IntakeInbox;
  /**
   * Why Belay cannot process deliveries now (its store refuses writes until a restart): webhooks answer
   * 503 with Retry-After, so senders keep their alerts, and the `store` check fails /healthz and /readyz.
   */
  readonly unavailable?: () => string | undefined;
  /**
   * Where /healthz and /readyz read their checks; the intake adds `store` (from `unavailable`), `inbox` and
   * `intake` (backlog) to it. Absent: a registry of the intake's own checks.
   */
  readonly health?: HealthRegistry;
  /**
   * Answers /healthz and /readyz instead of `health` alone: the intake thread asks the main thread, whose
   * registry has every check (its own ones mirrored there).
   */
  readonly answerHealth?: (probe: Probe) => Promise<HealthAnswer>;
  /** /readyz fails while the oldest unprocessed delivery has waited longer (default five minutes). */
  readonly maxBacklogAgeMs?: number;
  readonly deliveries: DeliveryLedger;
  readonly clock: Clock;
  readonly logger: IntakeLogger;
  /** Absent: the endpoint answers 404, so an unconfigured source cannot be fed. */
  readonly alertmanager?: { readonly auth: WebhookAuth | readonly WebhookAuth[] };
  readonly pagerduty?: {
    readonly secrets: readonly string[];
    readonly serviceLabels?: PagerDutyServiceLabels;
    /** Events that occurred longer ago are refused with 400 (default one hour). */
    readonly maxEventAgeMs?: number;
  };
  readonly queueCapacity?: number;
  readonly maxBodyBytes?: number;
  /** False while starting or stopping: /readyz answers 503 (check `started`). */
  readonly ready?: () => boolean;
  /** Serves GET /metrics when given: the Prometheus text exposition of Belay's registry. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** Told what became of each webhook delivery, for metrics (source: alertmanager or pagerduty). */
  readonly onDelivery?: (source: string, result: DeliveryResult) => void;
}

export type DeliveryResult =
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'invalid'
  | 'unauthorized'
  | 'too_large'
  | 'busy'
  | 'rejected';
