import type { Clock } from '../../../domain/index.ts';
import type { KubeReader } from '../../../kube/index.ts';

export interface ToolLimits {
  /** Items any list returns. */
  readonly items: number;
  /** Objects a list tool reads from the API server before it summarises (it shows the worst first). */
  readonly fetch: number;
  readonly events: number;
  readonly logBytes: number;
  readonly logLines: number;
  readonly revisions: number;
  readonly runs: number;
  /** Characters of one free-text field (an event message, an annotation). */
  readonly text: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  items: 50,
  fetch: 1_000,
  events: 20,
  logBytes: 16_384,
  logLines: 200,
  revisions: 10,
  runs: 5,
  text: 300,
};

export interface KubernetesToolDeps {
  /** The read-only client for a cluster, or undefined when Belay has none. */
  readonly readerFor: (cluster: string) => KubeReader | undefined;
  readonly clock: Clock;
  /** Removes secrets from free text before it reaches the model, Slack or the audit log. */
  readonly redact: (text: string) => string;
  readonly limits?: Partial<ToolLimits>;
}

export interface ToolEnv {
  readonly reader: KubeReader;
  readonly deps: KubernetesToolDeps;
  readonly limits: ToolLimits;
  /** Redacts, then cuts to the text limit. */
  text(value: string | undefined): string | undefined;
}

export function toolEnv(deps: KubernetesToolDeps, reader: KubeReader): ToolEnv {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...deps.limits };
  return {
    reader,
    deps,
    limits,
    text: (value) => {
      if (value === undefined) return undefined;
      const clean = deps.redact(value);
      return clean.length > limits.text ? `${clean.slice(0, limits.text)}… (cut)` : clean;
    },
  };
}
