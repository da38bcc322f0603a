import type pino from 'pino';

/** What a stop closes, each by what it must be asked; optional parts were not configured. */
export interface StoppableParts {
  readonly logger: pino.Logger;
  /** Marks Belay unready and stops watching its event loop. */
  readonly unready: () => void;
  readonly graphRenderer: { close(): Promise<void> };
  readonly mcp?: { close(): Promise<void> };
  readonly patterns?: { stop(): void };
  readonly intake: {
    stopListening(): Promise<void>;
    stopProcessing(): Promise<void>;
    close(): Promise<void>;
  };
  readonly schedules: { stop(): Promise<void> | void };
  readonly metricsServer?: { close(): Promise<void> };
  readonly inFlight: { drain(deadlineMs: number): Promise<{ finished: boolean; left: number }> };
  readonly drainDeadlineMs: number;
  readonly sendQueue: { close(): void };
  readonly slackApp: { stop(): Promise<void> };
  /** The outbox being resumed in the background since start-up. */
  readonly resumed: Promise<unknown>;
  readonly outbox: { close(): Promise<void> };
  readonly audit: { close(): Promise<void> };
  readonly leadership: { release(): Promise<void> };
}

/**
 * Stops Belay in the one order that loses nothing: no new alerts, ticks or graphs; executions in flight
 * finish their verification (unless `drain` is false: the lease, and with it the right to write, is gone);
 * then no more retries against a Slack being left; the delivery being processed finishes so its inbox
 * cursor is written (deliveries still waiting stay in the inbox for the next start); then the files close
 * and the lease is let go.
 */
export async function stopInOrder(parts: StoppableParts, drain: boolean): Promise<void> {
  const { logger, intake } = parts;
  parts.unready();
  await parts.graphRenderer.close();
  await parts.mcp?.close();
  parts.patterns?.stop();
  await Promise.allSettled([intake.stopListening(), parts.schedules.stop(), parts.metricsServer?.close()]);
  const drained = await parts.inFlight.drain(drain ? parts.drainDeadlineMs : 0);
  if (!drained.finished)
    logger.error(
      { part: 'shutdown', left: drained.left },
      'stopping with executions still running: look at their proposals after the restart',
    );
  parts.sendQueue.close();
  await intake.stopProcessing().catch(() => undefined);
  await Promise.allSettled([parts.slackApp.stop(), intake.close(), parts.resumed]);
  await Promise.allSettled([parts.outbox.close(), parts.audit.close()]);
  await parts.leadership.release();
}
