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
