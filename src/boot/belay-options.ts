import type pino from 'pino';
import type { Config, Env } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import type { KubeConfigLoader } from '../kube/index.ts';
import type { PatternCache } from '../observe/patterns/index.ts';
import type { SlackRetryOptions } from '../slack/index.ts';

/** What startBelay is given: the config and environment, and the seams tests and the demo replace. */
export interface BelayOptions {
  readonly config: Config;
  readonly env: Env;
  /** The raw environment, for secrets the config names by variable. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  readonly logger?: pino.Logger;
  /** How kubeconfigs are loaded; tests point it at a fake API server. */
  readonly kubeConfigLoader?: KubeConfigLoader;
  /** How the executor waits while verifying; tests drive it from a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Ports to listen on instead of the config's (0 picks a free one). */
  readonly ports?: {
    readonly intake?: number;
    readonly slack?: number;
    readonly metrics?: number;
    readonly mcp?: number;
  };
  readonly slackRetryConfig?: SlackRetryOptions;
  /** This instance's name in the Lease (default host_uuid); tests run two with known names. */
  readonly leaderIdentity?: string;
  /** What happens after a lost lease or lock has stopped everything; default: exit 1 for a restart. */
  readonly onLeadershipLost?: (reason: string) => void;
}

export interface RunningBelay {
  readonly intakePort: number;
  readonly slackPort?: number;
  /** Set when intake.metricsPort serves /metrics apart from the intake. */
  readonly metricsPort?: number;
  /** The MCP endpoint's port, when `mcp.http.enabled`. */
  readonly mcpPort?: number;
  /** Executions and reverts running now: stop() lets them verify, up to the verification timeout + 30 s. */
  executionsInFlight(): number;
  /** How long stop() waits for executions in flight at most. */
  readonly drainDeadlineMs: number;
  /** The recurring patterns cached in the background, when prometheus.patterns is set. */
  readonly patterns?: PatternCache;
  stop(): Promise<void>;
}
