import type { HealthCheck } from './health-check.ts';

export interface ConnectionCheckOptions {
  readonly name: string;
  /** The connection now; undefined when there is none to watch (the check passes). */
  readonly connection: () => { readonly up: boolean; readonly since: number } | undefined;
  /** Down for less than this still passes: routine reconnects (Slack recycles sockets) take seconds. */
  readonly graceMs: number;
  /** What to do when it has been down too long. */
  readonly advice: string;
  /** Milliseconds since the epoch, like `since`. */
  readonly now?: () => number;
}

/** A readiness check that fails while a connection has been down longer than its grace. */
export function connectionCheck(options: ConnectionCheckOptions): HealthCheck {
  const now = options.now ?? Date.now;
  return {
    name: options.name,
    probes: ['readiness'],
    state() {
      const connection = options.connection();
      if (!connection) return { ok: true, detail: 'not watched in this mode' };
      if (connection.up) return { ok: true };
      const downMs = now() - connection.since;
      if (downMs < options.graceMs)
        return { ok: true, detail: `reconnecting for ${Math.round(downMs / 1_000)} s` };
      return {
        ok: false,
        detail: `the ${options.name} connection has been down for ${Math.round(downMs / 1_000)} s. ${options.advice}`,
      };
    },
  };
}
