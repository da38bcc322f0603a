import type { AuditEvent } from '../domain/index.ts';
import type { AuditLog } from '../govern/store/index.ts';

/** The audit log, timed and read for metrics: every decision and execution passes through it once. */
export function withAuditMetrics(
  audit: AuditLog,
  record: (event: AuditEvent) => void,
  timed: (seconds: number, ok: boolean) => void,
): AuditLog {
  return {
    ...audit,
    async append(input) {
      const started = performance.now();
      let event: AuditEvent;
      try {
        event = await audit.append(input);
      } catch (error) {
        timed((performance.now() - started) / 1_000, false);
        throw error;
      }
      timed((performance.now() - started) / 1_000, true);
      record(event);
      return event;
    },
  };
}
