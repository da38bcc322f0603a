import type { z } from 'zod';

/**
 * A read-only investigation tool, as data: the LLM loop offers it as a function tool, the deterministic
 * orienter and /remediate call it directly. `run` returns compact, bounded JSON and never writes.
 */
export interface ReadTool<I extends z.ZodType = z.ZodType> {
  /** resource_verb: `pods_list`, `pod_logs`. */
  readonly name: string;
  readonly description: string;
  readonly input: I;
  run(input: z.infer<I>, context: ReadToolContext): Promise<ReadToolResult>;
}

export interface ReadToolContext {
  /** The cluster the incident is in; a tool never crosses to another. */
  readonly cluster: string;
  readonly signal?: AbortSignal;
}

export interface ReadToolResult {
  /** JSON-serialisable, already redacted and capped. */
  readonly data: unknown;
  /** What was cut to stay within bounds ("showing 50 of 500 pods"), so nobody mistakes a page for the whole. */
  readonly truncated?: string;
}
