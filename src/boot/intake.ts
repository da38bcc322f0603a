import type pino from 'pino';
import type { Config } from '../config/index.ts';
import type { Alert, Clock } from '../domain/index.ts';
import type { AuditLog, IntakeInbox, StateStore, WriteWatch } from '../govern/store/index.ts';
import type { HealthRegistry } from '../health/index.ts';
import { createIntakeServer, type IntakeServerOptions } from '../observe/intake/index.ts';
import type { IntakeSecrets } from './startup-secrets.ts';

export interface IntakeWiring {
  readonly config: Config;
  readonly secrets: IntakeSecrets;
  readonly handleAlerts: (alerts: Alert[]) => Promise<void>;
  readonly inbox: IntakeInbox;
  readonly writes: WriteWatch;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly health: HealthRegistry;
  readonly clock: Clock;
  readonly root: pino.Logger;
  readonly ready: () => boolean;
  /** /metrics on the intake port, unless intake.metricsPort gives it a port of its own. */
  readonly metrics?: IntakeServerOptions['metrics'];
  readonly onDelivery: NonNullable<IntakeServerOptions['onDelivery']>;
}

/**
 * The webhook intake: every delivery on disk before its 200, answered 503 while the store or the audit
 * cannot write (so Alertmanager retries), /healthz and /readyz from the named checks.
 */
export function wireIntake(options: IntakeWiring) {
  const { config, secrets, store, audit, writes } = options;
  const logger = options.root.child({ component: 'intake' });
  const pagerduty = config.intake.pagerduty;
  return createIntakeServer({
    onAlerts: (alerts) => writes.watch(options.handleAlerts(alerts)),
    inbox: options.inbox,
    // The store's and the audit log's own write-failed mode, not only what the processing path saw.
    unavailable: () => store.writeFailure() ?? audit.writeFailure() ?? writes.problem(),
    health: options.health,
    maxBacklogAgeMs: config.intake.health.maxBacklogAge,
    deliveries: store,
    clock: options.clock,
    logger: { warn: (obj, msg) => logger.warn(obj, msg), error: (obj, msg) => logger.error(obj, msg) },
    ...(secrets.alertmanagerAuth ? { alertmanager: { auth: secrets.alertmanagerAuth } } : {}),
    ...(pagerduty
      ? {
          pagerduty: {
            secrets: secrets.pagerdutySecrets,
            serviceLabels: pagerduty.serviceLabels,
            maxEventAgeMs: pagerduty.maxEventAge,
          },
        }
      : {}),
    queueCapacity: config.intake.queueCapacity,
    ready: options.ready,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    onDelivery: options.onDelivery,
  });
}
