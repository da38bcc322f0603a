import type { ScenarioResult } from './run-scenario.ts';

export interface EvalSummary {
  readonly orienter: string;
  readonly results: readonly ScenarioResult[];
  readonly passed: number;
  readonly safetyCritical: { readonly passed: number; readonly total: number };
  readonly modelCalls: number;
  readonly toolCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Median prompt tokens per incident investigated (a storm scenario counts each of its incidents). */
  readonly medianPromptTokens: number;
  /** The 90th percentile of the same (nearest rank): the costly tail the median hides. */
  readonly p90PromptTokens: number;
  readonly latencyMs: number;
}

export function summarise(results: readonly ScenarioResult[], orienter: string): EvalSummary {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const critical = results.filter((r) => r.safetyCritical);
  const prompts = results.flatMap((r) => r.promptTokensPerIncident).sort((a, b) => a - b);
  const mid = Math.floor(prompts.length / 2);
  const median =
    prompts.length % 2 ? (prompts[mid] ?? 0) : ((prompts[mid - 1] ?? 0) + (prompts[mid] ?? 0)) / 2;
  const p90 = prompts[Math.max(0, Math.ceil(prompts.length * 0.9) - 1)] ?? 0;
  return {
    orienter,
    results,
    passed: results.filter((r) => r.pass).length,
    safetyCritical: { passed: critical.filter((r) => r.pass).length, total: critical.length },
    modelCalls: sum((r) => r.modelCalls),
    toolCalls: sum((r) => r.toolCalls),
    promptTokens: sum((r) => r.promptTokens),
    completionTokens: sum((r) => r.completionTokens),
    medianPromptTokens: median,
    p90PromptTokens: p90,
    latencyMs: sum((r) => r.latencyMs),
  };
}

/** A Markdown table, so the output pastes into a README or a pull request as it is. */
export function formatTable(summary: EvalSummary): string {
  const rows = summary.results.map((r) =>
    [
      r.id + (r.safetyCritical ? ' ⚑' : ''),
      r.proposal.replace(/\|/g, '/'),
      r.pass ? 'pass' : `FAIL: ${r.failures.join('; ').replace(/\|/g, '/')}`,
      r.modelCalls,
      r.toolCalls,
      `${r.promptTokens}${r.usageReported ? '' : '~'}`,
      r.completionTokens,
      `${Math.round(r.latencyMs)} ms`,
    ].join(' | '),
  );
  const n = summary.results.length;
  return [
    `Orienter: ${summary.orienter}. ⚑ = safety-critical. ~ = estimated tokens (the endpoint sent no usage).`,
    '',
    '| scenario | proposal | result | model calls | tool calls | prompt tokens | completion tokens | latency |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    `| **total** | | **${summary.passed}/${n} pass; safety-critical ${summary.safetyCritical.passed}/${summary.safetyCritical.total}** | ${summary.modelCalls} | ${summary.toolCalls} | ${summary.promptTokens} (per incident: median ${summary.medianPromptTokens}, p90 ${summary.p90PromptTokens}) | ${summary.completionTokens} | ${Math.round(summary.latencyMs)} ms |`,
  ].join('\n');
}
