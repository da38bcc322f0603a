import { closestMatch, type Policy, type RecurringPattern } from '../../domain/index.ts';
import { type ReplayDeps, replayEpisodes } from './replay-episodes.ts';
import type { ReplayHistory, ReplayPeriod } from './replay-history.ts';
import { type ReplaySummary, summarizeReplay } from './replay-report.ts';
import type { PastOutcome, ReplayEpisode, ReplayedEpisode } from './replay-types.ts';

export interface ReplayRequest extends ReplayPeriod {
  /** Replay only this rule; every rule of the policy otherwise. */
  readonly rule?: string;
}

export interface ReplayReport {
  readonly from: string;
  readonly to: string;
  readonly source: ReplayHistory['source'];
  readonly origin: string;
  readonly rules: readonly string[];
  readonly episodes: readonly ReplayedEpisode[];
  readonly summary: ReplaySummary;
  readonly assumptions: readonly string[];
}

export type ReplayResult =
  | { readonly ok: true; readonly report: ReplayReport }
  /** `request`: what was asked for is wrong (fix the command); `history`: the past could not be read. */
  | { readonly ok: false; readonly problem: 'request' | 'history'; readonly message: string };

/** Recurring patterns over the period, as a lookup; or why they could not be found. */
export type PatternsAnswer =
  | { readonly ok: true; readonly patterns: readonly RecurringPattern[] }
  | { readonly ok: false; readonly error: string };

export interface RunReplayDeps {
  readonly policy: Policy;
  readonly history: ReplayHistory;
  /** Recurring patterns over the period, looked up per target and instant; absent when none can be found. */
  readonly patterns?: (period: ReplayPeriod) => Promise<PatternsAnswer>;
  /** The seam for the outcome classifier: what a real past action on this alert led to. */
  readonly pastOutcome?: (episode: ReplayEpisode) => PastOutcome | undefined;
}

/**
 * `belay replay` and `/remediate replay`: the policy (or one rule of it) replayed over a past period. A wrong
 * request (an unknown rule, a period that ends before it starts) changes nothing and says how to fix it.
 */
export async function runReplay(deps: RunReplayDeps, request: ReplayRequest): Promise<ReplayResult> {
  const { sinceMs, untilMs } = request;
  if (!Number.isFinite(sinceMs) || !Number.isFinite(untilMs) || sinceMs >= untilMs) {
    return {
      ok: false,
      problem: 'request',
      message: `The period to replay must start before it ends; got ${iso(sinceMs)} to ${iso(untilMs)}.`,
    };
  }
  const names = deps.policy.rules.map((r) => r.name);
  if (request.rule !== undefined && !names.includes(request.rule)) {
    const near = closestMatch(request.rule, names);
    return {
      ok: false,
      problem: 'request',
      message: `The policy has no rule "${request.rule}"${near ? ` (did you mean ${near}?)` : ''}. Its rules: ${names.join(', ') || 'none'}.`,
    };
  }
  if (names.length === 0)
    return {
      ok: false,
      problem: 'request',
      message: 'The policy has no rules, so there is nothing to replay.',
    };
  const rules = deps.policy.rules.filter((r) => request.rule === undefined || r.name === request.rule);
  const policy = { ...deps.policy, rules };
  const read = await deps.history.episodes({ sinceMs, untilMs });
  if (!read.ok)
    return { ok: false, problem: 'history', message: `Could not read the alert history: ${read.error}` };
  const patterns = deps.patterns ? await deps.patterns({ sinceMs, untilMs }) : undefined;
  const found = patterns?.ok ? patterns.patterns : undefined;
  const replayDeps: ReplayDeps = {
    policy,
    factsAt: deps.history.factsAt,
    ...(found ? { patterns: found } : {}),
    ...(deps.pastOutcome ? { pastOutcome: deps.pastOutcome } : {}),
  };
  const episodes = await replayEpisodes(replayDeps, read.episodes);
  return {
    ok: true,
    report: {
      from: iso(sinceMs),
      to: iso(untilMs),
      source: deps.history.source,
      origin: deps.history.origin,
      rules: rules.map((r) => r.name),
      episodes,
      summary: summarizeReplay(rules, episodes),
      assumptions: [
        ...deps.history.assumptions,
        ...(!patterns
          ? [
              'Recurring patterns were not looked for: they are found in Prometheus history, and this replay has none.',
            ]
          : patterns.ok
            ? [
                'Recurring patterns are looked for over the same period (memory, CPU and restarts per pod, CronJob runs).',
              ]
            : [`Recurring patterns could not be looked for: ${patterns.error}`]),
      ],
    },
  };
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
