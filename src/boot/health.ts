import type { Config } from '../config/index.ts';
import { createEventLoopWatch, createHealthRegistry } from '../health/index.ts';
import { type BelayMetricsOptions, registerHealthGauge } from '../metrics/index.ts';

/**
 * /healthz and /readyz: named checks (the event loop's here; the intake, store and Slack add theirs), also
 * scraped as belay_health_check (README, "Operating Belay"). The event-loop watch starts now.
 */
export function createHealth(config: Config, registry: BelayMetricsOptions['registry']) {
  const health = createHealthRegistry();
  const loop = createEventLoopWatch({
    maxStallMs: config.intake.health.maxEventLoopStall,
    windowMs: config.intake.health.stallWindow,
  });
  health.add({ name: 'event-loop', probes: ['liveness'], state: loop.state });
  registerHealthGauge(registry, health);
  return { health, loop };
}
