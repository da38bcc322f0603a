import { CronJob } from 'cron';
import type { Clock } from '../domain/index.ts';
import type { OutcomeTracker } from './outcome-tracker.ts';
import type { AuditLog } from './store/index.ts';

/** Every minute: an outcome is told at most a minute after its deadline. */
export const OUTCOME_CHECK_CRON = '0 * * * * *';

/**
 * The outcome check as a job: each tick asks Prometheus (where configured) whether the alerts behind recent
 * actions still fire, and settles what is due. A tick waits for the previous one; a failure is audited.
 */
export function startOutcomeChecks(deps: {
  readonly outcomes: OutcomeTracker;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly onError?: (error: unknown) => void;
}): { stop(): Promise<void> } {
  const job = CronJob.from({
    cronTime: OUTCOME_CHECK_CRON,
    onTick: async () => {
      try {
        await deps.outcomes.check(deps.clock.now());
      } catch (error) {
        deps.onError?.(error);
        await deps.audit
          .append({
            type: 'error',
            actor: { type: 'system', id: 'schedule' },
            summary: `The outcome check failed: ${error instanceof Error ? error.message : String(error)}`,
            data: { job: 'outcome-check' },
          })
          .catch((auditError: unknown) => deps.onError?.(auditError));
      }
    },
    timeZone: 'UTC',
    waitForCompletion: true,
    name: 'outcome-check',
  });
  job.start();
  return { stop: async () => void (await job.stop()) };
}
