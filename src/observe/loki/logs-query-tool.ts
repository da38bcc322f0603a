import { z } from 'zod';
import { type Clock, durationSchema, formatDuration, namespaceSchema } from '../../domain/index.ts';
import type { ReadTool } from '../read-tool.ts';
import { scopeLogQL } from './logql-scope.ts';
import type { LokiClient } from './loki-client.ts';

export interface LogsLimits {
  /** Lines one answer shows, the newest first. */
  readonly maxLines: number;
  /** Bytes of log text one answer shows. */
  readonly maxBytes: number;
  /** How far back a query may reach. */
  readonly maxRangeMs: number;
  /** Characters of one LogQL query. */
  readonly maxQueryChars: number;
  /**
   * Lines asked of Loki, so the note can say how many there were ("showing 200 of 1,340 lines"); 5,000 is
   * Loki's default max_entries_limit_per_query, so a larger ask would be refused.
   */
  readonly countUpTo: number;
  /** Characters of one line; a longer line is cut and marked. */
  readonly maxLineChars: number;
}

export const DEFAULT_LOGS_LIMITS: LogsLimits = {
  maxLines: 200,
  maxBytes: 32_768,
  maxRangeMs: 24 * 3_600_000,
  maxQueryChars: 1_000,
  countUpTo: 5_000,
  maxLineChars: 1_000,
};

export interface LogsQueryDeps {
  readonly client: LokiClient;
  readonly clock: Clock;
  /** The cluster these logs come from; an incident elsewhere gets an answer saying so. */
  readonly cluster: string;
  /** The stream label that holds the namespace. */
  readonly namespaceLabel: string;
  readonly redact: (text: string) => string;
  readonly limits?: Partial<LogsLimits>;
}

interface Line {
  readonly ns: bigint;
  readonly stream: number;
  readonly text: string;
}

export function logsQuery(deps: LogsQueryDeps): ReadTool {
  const limits = { ...DEFAULT_LOGS_LIMITS, ...deps.limits };
  const input = z
    .object({
      namespace: namespaceSchema.describe("the incident's namespace; every stream selector is held to it"),
      query: z
        .string()
        .max(limits.maxQueryChars)
        .describe('LogQL for log lines, e.g. {pod="web-1", container="app"} |= "error"'),
      since: durationSchema.default(3_600_000).describe('how far back from now, e.g. 30m; default 1h'),
    })
    .strict()
    .superRefine((value, ctx) => {
      if (value.since <= 0 || value.since > limits.maxRangeMs)
        ctx.addIssue({
          code: 'custom',
          path: ['since'],
          message: `must be longer than 0 and at most ${formatDuration(limits.maxRangeMs)}`,
        });
    });

  return {
    name: 'logs_query',
    description: `Loki, read only: log lines in LogQL from the last \`since\`, including pods that no longer exist (what the previous container wrote before a restart). Held to the incident's namespace. At most ${limits.maxLines} lines, the newest first; the answer says what was cut.`,
    input,
    async run(raw, context) {
      const args = input.safeParse(raw);
      if (!args.success)
        return {
          data: { error: `logs_query refused: ${args.error.issues.map((i) => i.message).join('; ')}` },
        };
      const { namespace, query, since } = args.data;
      if (context.cluster !== deps.cluster)
        return {
          data: {
            error: `Belay's Loki holds logs of cluster "${deps.cluster}", not "${context.cluster}"; no logs for this incident`,
          },
        };
      const scoped = scopeLogQL(query, {
        namespace,
        label: deps.namespaceLabel,
        maxChars: limits.maxQueryChars,
      });
      if (!scoped.ok) return { data: { error: `logs_query refused: ${scoped.reason}` } };
      const end = deps.clock.now();
      const start = new Date(end.getTime() - since);
      const answer = await deps.client.queryRange(scoped.query, {
        start,
        end,
        limit: Math.max(limits.countUpTo, limits.maxLines),
        direction: 'backward',
        ...(context.signal ? { signal: context.signal } : {}),
      });
      if (!answer.ok) return { data: { error: `logs_query failed: ${answer.error}` } };

      // Loki already held the selector to the namespace; a stream from elsewhere is dropped, not shown.
      const streams = answer.streams.filter((s) => {
        const ns = s.labels[deps.namespaceLabel];
        return ns === undefined || ns === namespace;
      });
      const all: Line[] = streams
        .flatMap((s, stream) => s.values.map(([at, text]) => ({ ns: nanos(at), stream, text })))
        .sort((a, b) => (a.ns === b.ns ? 0 : a.ns > b.ns ? -1 : 1));
      const shown: Line[] = [];
      let bytes = 0;
      let cutByBytes = false;
      for (const line of all.slice(0, limits.maxLines)) {
        const size = Buffer.byteLength(line.text);
        if (bytes + Math.min(size, limits.maxLineChars) > limits.maxBytes) {
          cutByBytes = true;
          break;
        }
        bytes += Math.min(size, limits.maxLineChars);
        shown.push(line);
      }
      const byStream = new Map<number, [string, string][]>();
      for (const line of shown) {
        const text =
          line.text.length > limits.maxLineChars
            ? `${line.text.slice(0, limits.maxLineChars)}… [line cut at ${limits.maxLineChars} characters]`
            : line.text;
        const list = byStream.get(line.stream) ?? [];
        list.push([isoOf(line.ns), deps.redact(text)]);
        byStream.set(line.stream, list);
      }
      const total = all.length;
      const atLeast = total >= limits.countUpTo ? 'at least ' : '';
      const dropped = answer.streams.length - streams.length;
      const cut =
        shown.length < total
          ? `showing ${fmt(shown.length)} of ${atLeast}${fmt(total)} lines (the newest first${cutByBytes ? `, cut at ${fmt(limits.maxBytes)} bytes` : ''}); narrow the query or the range for older ones`
          : undefined;
      return {
        data: {
          query: scoped.query,
          range: { start: start.toISOString(), end: end.toISOString(), since: formatDuration(since) },
          linesReturned: total,
          streams: [...byStream].map(([index, lines]) => ({
            labels: redactLabels(streams[index]?.labels ?? {}, deps.redact),
            lines,
          })),
          ...(dropped > 0
            ? { droppedStreams: `${dropped} stream(s) from other namespaces were not shown` }
            : {}),
        },
        ...(cut ? { truncated: cut } : {}),
      };
    },
  };
}

function nanos(at: string): bigint {
  try {
    return BigInt(at);
  } catch {
    return 0n;
  }
}

const isoOf = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();
const fmt = (n: number) => n.toLocaleString('en-US');

function redactLabels(labels: Readonly<Record<string, string>>, redact: (t: string) => string) {
  return Object.fromEntries(
    Object.entries(labels)
      .slice(0, 12)
      .map(([k, v]) => [k, redact(v).slice(0, 200)]),
  );
}
