import type { Clock } from '../../domain/index.ts';
import type { RemediationService } from '../service.ts';
import { type ReplayResult, type RunReplayDeps, runReplay } from './run-replay.ts';

/** What a person asks for: the last `periodMs` up to now, one rule or all of them. */
export interface ReplayAsk {
  readonly periodMs: number;
  readonly rule?: string;
  readonly user: string;
}

/** The replay as a use-case of the running bot: the period ends now, on the bot's clock. */
export function replayUseCase(deps: RunReplayDeps, clock: Clock): (ask: ReplayAsk) => Promise<ReplayResult> {
  return (ask) => {
    const untilMs = clock.now().getTime();
    return runReplay(deps, {
      sinceMs: untilMs - ask.periodMs,
      untilMs,
      ...(ask.rule !== undefined ? { rule: ask.rule } : {}),
    });
  };
}

/** The service with `replay` added: the other use-cases are the service's own, untouched. */
export function withReplay<T extends RemediationService>(
  service: T,
  replay: (ask: ReplayAsk) => Promise<ReplayResult>,
): T {
  return { ...service, replay };
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * One rule's last week, replayed, in a line for `/remediate promote`: what it would have done and what
 * stopped it, so a promotion is weighed against history as well as its record. Never throws: a replay that
 * cannot run says why instead.
 */
export async function ruleReplaySummary(
  replay: (ask: ReplayAsk) => Promise<ReplayResult>,
  rule: string,
): Promise<string> {
  const result = await replay({ periodMs: WEEK_MS, rule, user: 'belay' }).catch(
    (error: unknown): ReplayResult => ({
      ok: false,
      problem: 'history',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  if (!result.ok) return `Replay of the last 7 days could not run: ${result.message}`;
  const replayed = result.report.summary.rules.find((r) => r.rule === rule);
  if (!replayed || replayed.triggered === 0)
    return 'Replay of the last 7 days: no alert triggered this rule.';
  const acted = replayed.wouldAct.auto + replayed.wouldAct.suggest + replayed.wouldAct.approval;
  const blocks = replayed.blockedBy.map((b) => `${b.reason} ×${b.count}`).join(', ');
  return [
    `Replay of the last 7 days: triggered ${replayed.triggered}, matched ${replayed.matched}, would have acted ${acted}`,
    replayed.blocked ? `, blocked ${replayed.blocked} (${blocks})` : '',
    replayed.nearMisses ? `; ${replayed.nearMisses} near miss${replayed.nearMisses === 1 ? '' : 'es'}` : '',
    replayed.inUnconfiguredPattern
      ? `; ${replayed.inUnconfiguredPattern} inside a recurring pattern no window covers`
      : '',
    '.',
  ].join('');
}
