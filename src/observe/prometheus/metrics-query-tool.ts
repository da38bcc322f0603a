import { z } from 'zod';
import { type Clock, durationSchema, formatDuration } from '../../domain/index.ts';
import type { ReadTool } from '../read-tool.ts';
import { compactResult } from './compact-series.ts';
import type { PrometheusClient } from './prometheus-client.ts';

export interface MetricsLimits {
  /** Series one answer shows (the highest first). */
  readonly maxSeries: number;
  /** Points one series shows after downsampling. */
  readonly maxPoints: number;
  /** Characters of one PromQL query. */
  readonly maxQueryChars: number;
  /** How far back a range query may reach. */
  readonly maxRangeMs: number;
  /** A range query's step when none is asked for; finer than the points shown, so spikes are seen. */
  readonly defaultStepMs: number;
}

export const DEFAULT_METRICS_LIMITS: MetricsLimits = {
  maxSeries: 10,
  maxPoints: 60,
  maxQueryChars: 1_000,
  maxRangeMs: 24 * 3_600_000,
  defaultStepMs: 15_000,
};

/** Prometheus refuses a range query of more than 11,000 points per series (protocols.md §6). */
const PROMETHEUS_MAX_POINTS = 11_000;

export interface MetricsQueryDeps {
  readonly client: PrometheusClient;
  readonly clock: Clock;
  /** The cluster this Prometheus watches; an incident elsewhere gets an answer saying so, not its numbers. */
  readonly cluster: string;
  /** Removes secrets from label values before they reach the model, Slack or the audit log. */
  readonly redact: (text: string) => string;
  readonly limits?: Partial<MetricsLimits>;
}

/**
 * Why a query is not one this tool sends, or undefined. PromQL itself only reads; what is refused here is
 * text that tries to be something else: a URL or API path (the admin and write APIs are not PromQL),
 * or control characters that have no place in a query.
 */
export function refuseQuery(query: string, maxChars: number): string | undefined {
  if (query.trim() === '') return 'the query is empty';
  if (query.length > maxChars)
    return `the query is ${query.length} characters; the limit is ${maxChars}: aggregate or narrow it`;
  if (/^\s*\//.test(query) || /[a-z][a-z0-9+.-]*:\/\//i.test(query) || /\/api\/v\d/i.test(query))
    return 'only PromQL expressions are sent, to the query endpoints; URLs and API paths are refused';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(query))
    return 'the query holds control characters';
  return undefined;
}

export function metricsQuery(deps: MetricsQueryDeps): ReadTool {
  const limits = { ...DEFAULT_METRICS_LIMITS, ...deps.limits };
  const input = z
    .object({
      query: z
        .string()
        .max(limits.maxQueryChars)
        .describe('PromQL, e.g. container_memory_working_set_bytes{namespace="shop",pod="web-1"}'),
      range: z
        .object({
          duration: durationSchema.describe('e.g. 30m'),
          step: durationSchema.optional().describe('resolution, e.g. 30s; default 15s'),
        })
        .strict()
        .optional(),
    })
    .strict()
    .superRefine((value, ctx) => {
      const refused = refuseQuery(value.query, limits.maxQueryChars);
      if (refused) ctx.addIssue({ code: 'custom', path: ['query'], message: refused });
      if (value.range && (value.range.duration <= 0 || value.range.duration > limits.maxRangeMs))
        ctx.addIssue({
          code: 'custom',
          path: ['range', 'duration'],
          message: `must be longer than 0 and at most ${formatDuration(limits.maxRangeMs)}`,
        });
      if (value.range?.step !== undefined && value.range.step < 1_000)
        ctx.addIssue({ code: 'custom', path: ['range', 'step'], message: 'must be at least 1s' });
    });

  return {
    name: 'metrics_query',
    description: `PromQL, read only: at now, or over the last range.duration; the top ${limits.maxSeries} series, ${limits.maxPoints} points each.`,
    input,
    async run(raw, context) {
      const args = input.safeParse(raw);
      if (!args.success)
        return {
          data: { error: `metrics_query refused: ${args.error.issues.map((i) => i.message).join('; ')}` },
        };
      const { query, range } = args.data;
      if (context.cluster !== deps.cluster)
        return {
          data: {
            error: `Belay's Prometheus watches cluster "${deps.cluster}", not "${context.cluster}"; no metrics for this incident`,
          },
        };
      const now = deps.clock.now();
      const signal = context.signal ? { signal: context.signal } : {};
      const window = range && {
        start: new Date(now.getTime() - range.duration),
        end: now,
        stepMs: rangeStep(range.duration, range.step ?? limits.defaultStepMs),
      };
      const answer = window
        ? await deps.client.range(query, { ...window, stepSeconds: window.stepMs / 1_000, ...signal })
        : await deps.client.instant(query, { time: now, ...signal });
      if (!answer.ok) return { data: { error: `metrics_query failed: ${answer.error}` } };
      const compact = compactResult(answer.data, limits, deps.redact);
      const { cut, ...result } = compact;
      return {
        data: {
          query,
          ...(window
            ? {
                range: {
                  start: window.start.toISOString(),
                  end: window.end.toISOString(),
                  step: formatDuration(window.stepMs),
                },
              }
            : { at: now.toISOString() }),
          ...result,
          ...(answer.warnings.length > 0
            ? { warnings: answer.warnings.slice(0, 3).map((w) => deps.redact(w).slice(0, 300)) }
            : {}),
        },
        ...(cut ? { truncated: cut } : {}),
      };
    },
  };
}

/** The asked step, made coarse enough that Prometheus's own per-series point limit is never hit. */
function rangeStep(durationMs: number, stepMs: number): number {
  const floor = Math.ceil(durationMs / PROMETHEUS_MAX_POINTS / 1_000) * 1_000;
  return Math.max(stepMs, floor, 1_000);
}
