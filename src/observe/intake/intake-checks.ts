import type { HealthRegistry } from '../../health/index.ts';

export const DEFAULT_MAX_BACKLOG_AGE_MS = 300_000;

export interface IntakeCheckSources {
  readonly queue: { readonly size: number; readonly capacity: number; oldestAgeMs(): number };
  readonly inbox: { problem(): string | undefined } | undefined;
  /** Why the store refuses writes until a restart, or undefined while it accepts them. */
  readonly unavailable: (() => string | undefined) | undefined;
  readonly maxBacklogAgeMs: number;
  /** True once listening and started, false again while stopping. */
  readonly started: () => boolean;
}

/** The intake's checks: its store (both probes: only a restart leaves write-failed mode), inbox and backlog. */
export function registerIntakeChecks(health: HealthRegistry, sources: IntakeCheckSources): void {
  const { queue, inbox, unavailable, maxBacklogAgeMs } = sources;
  if (unavailable) {
    health.add({
      name: 'store',
      probes: ['liveness', 'readiness'],
      state() {
        const why = unavailable();
        return why
          ? {
              ok: false,
              detail: `${why} Webhooks answer 503 meanwhile, so senders keep their alerts. Free or fix the volume, then restart Belay.`,
            }
          : { ok: true };
      },
    });
  }
  if (inbox) {
    health.add({
      name: 'inbox',
      probes: ['readiness'],
      state() {
        const why = inbox.problem();
        // The inbox retries every delivery, so space coming back makes it ready again without a restart.
        return why
          ? { ok: false, detail: `${why} Webhooks answer 503 until it can write again.` }
          : { ok: true };
      },
    });
  }
  health.add({
    name: 'intake',
    probes: ['readiness'],
    state() {
      if (!sources.started()) return { ok: false, detail: 'Belay is starting or stopping; wait for it.' };
      const ageMs = queue.oldestAgeMs();
      const backlog = `${queue.size} of ${queue.capacity} deliveries waiting, the oldest for ${Math.round(ageMs / 1_000)} s`;
      if (queue.size >= queue.capacity)
        return {
          ok: false,
          detail: `intake backlog full (${backlog}); webhooks answer 503 and senders retry. Look for what slows processing (model or Kubernetes API latency, an alert storm) in the logs and belay_intake_backlog.`,
        };
      if (ageMs > maxBacklogAgeMs)
        return {
          ok: false,
          detail: `intake backlog too old (${backlog}, bound ${Math.round(maxBacklogAgeMs / 1_000)} s): alerts are acknowledged but not handled in time. Look for a slow or stuck investigation in the logs.`,
        };
      return { ok: true, detail: backlog };
    },
  });
}
