import type pino from 'pino';
import type { Config } from '../config/index.ts';
import type { Alert, Clock } from '../domain/index.ts';
import type { AuditLog, StateStore, WriteWatch } from '../govern/store/index.ts';
import type { HealthRegistry } from '../health/index.ts';
import { type IntakeThreadOptions, startIntakeThread } from '../observe/intake/index.ts';
import type { IntakeSecrets } from './startup-secrets.ts';

export interface IntakeWiring {
  readonly config: Config;
  readonly secrets: IntakeSecrets;
  readonly handleAlerts: (alerts: Alert[]) => Promise<void>;
  /** Where the intake's inbox lives. */
  readonly inboxDir: string;
  readonly listen: { readonly port: number; readonly host: string };
  readonly writes: WriteWatch;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly health: HealthRegistry;
  readonly clock: Clock;
  readonly root: pino.Logger;
  readonly ready: () => boolean;
  /** /metrics on the intake port, unless intake.metricsPort gives it a port of its own. */
  readonly metrics?: IntakeThreadOptions['metrics'];
  readonly onDelivery: IntakeThreadOptions['onDelivery'];
}

/**
 * The webhook intake, on a thread of its own: every delivery on disk before its 200, answered 503 while the
 * store or the audit cannot write (so Alertmanager retries), /healthz and /readyz from the named checks.
 */
export function startIntake(options: IntakeWiring) {
  const { config, secrets, store, audit, writes } = options;
  const logger = options.root.child({ component: 'intake' });
  const pagerduty = config.intake.pagerduty;
  return startIntakeThread({
    worker: new URL('./intake-worker.ts', import.meta.url),
    settings: {
      inboxDir: options.inboxDir,
      ...options.listen,
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
      maxBacklogAgeMs: config.intake.health.maxBacklogAge,
    },
    onAlerts: (alerts) => writes.watch(options.handleAlerts(alerts)),
    // The store's and the audit log's own write-failed mode, not only what the processing path saw.
    unavailable: () => store.writeFailure() ?? audit.writeFailure() ?? writes.problem(),
    health: options.health,
    deliveries: store,
    clock: options.clock,
    logger: { warn: (obj, msg) => logger.warn(obj, msg), error: (obj, msg) => logger.error(obj, msg) },
    ready: options.ready,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    onDelivery: options.onDelivery,
  });
}
