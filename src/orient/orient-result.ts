import type { Action } from '../domain/index.ts';

/** What one investigation cost: for the audit record and the footer of the Slack message. */
export interface Spend {
  readonly modelCalls: number;
  readonly toolCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** False when the server sent no usage and the numbers are Belay's estimate (characters / 4). */
  readonly usageReported: boolean;
  readonly wallMs: number;
  /** Tool outputs cut to the per-tool cap. */
  readonly truncatedOutputs: number;
}

export const NO_SPEND: Spend = {
  modelCalls: 0,
  toolCalls: 0,
  promptTokens: 0,
  completionTokens: 0,
  usageReported: true,
  wallMs: 0,
  truncatedOutputs: 0,
};

/** A piece of evidence; `source` is a tool call (`pod_logs#call_1`) or `facts`. Always quoted data. */
export interface Evidence {
  readonly source: string;
  readonly excerpt: string;
}

/**
 * Where the investigation ended. A proposal is a CANDIDATE for the policy engine: it is a valid catalog
 * action on this incident's target, nothing more. Tier, risk and approval are decided elsewhere.
 */
export type Outcome =
  | { readonly type: 'proposal'; readonly action: Action; readonly rationale: string }
  | { readonly type: 'needs-human'; readonly why: string }
  | { readonly type: 'no-action'; readonly why: string };

/** Something the model asked for that code refused: recorded for the audit trail, never acted on. */
export interface Rejection {
  readonly what: 'tool-call' | 'proposal' | 'evidence' | 'output';
  readonly detail: string;
  readonly reason: string;
}

/** Text from logs, events or annotations that reads like an instruction: shown to people as a quote. */
export interface UntrustedQuote {
  readonly source: string;
  readonly text: string;
}

export type OrientOrigin =
  | { readonly type: 'model'; readonly model: string; readonly promptVersion: string }
  | {
      readonly type: 'deterministic';
      readonly rule: string;
      /** Why the model was not used or not trusted: no model, budget spent, timeout, 5xx, invalid output. */
      readonly fallbackReason: string;
    };

export interface OrientResult {
  readonly incidentId: string;
  readonly origin: OrientOrigin;
  readonly promptVersion: string;
  readonly summary: string;
  readonly suspectedCause?: { readonly text: string; readonly evidence: readonly Evidence[] };
  readonly outcome: Outcome;
  /**
   * What the model said a human should do outside the catalog, when it also gave another outcome (a
   * proposal): its words, redacted, for the card to show as the model's; Belay never does it.
   */
  readonly humanAction?: string;
  readonly rejected: readonly Rejection[];
  readonly untrustedQuotes: readonly UntrustedQuote[];
  readonly spend: Spend;
}
