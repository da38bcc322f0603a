import { Gauge, type Registry } from 'prom-client';
import type { HealthRegistry } from '../health/index.ts';

/**
 * `belay_health_check{check}`: 1 while a check passes, 0 while it fails; the check names are the fixed set
 * the composition root registers, so the label stays bounded.
 */
export function registerHealthGauge(registry: Registry, health: HealthRegistry): void {
  new Gauge({
    name: 'belay_health_check',
    help: 'Whether each /healthz and /readyz check passes (1) or fails (0).',
    labelNames: ['check'],
    registers: [registry],
    collect() {
      for (const { check, state } of health.states()) this.set({ check: check.name }, state.ok ? 1 : 0);
    },
  });
}
