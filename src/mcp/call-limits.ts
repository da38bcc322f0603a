import type { Clock } from '../domain/index.ts';

export interface McpLimits {
  readonly callsPerMinute: number;
  readonly proposalsPerHour: number;
}

/** The defaults the `mcp.limits` config section states: enough for an agent investigating, not a loop. */
export const DEFAULT_MCP_LIMITS: McpLimits = { callsPerMinute: 60, proposalsPerHour: 5 };

export interface CallLimits {
  /** Counts a tool call for `client`; a refusal message when it is over its limit (then nothing is counted). */
  admitCall(client: string): string | undefined;
  admitProposal(client: string): string | undefined;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Per-client sliding windows, in memory: a restart forgets them, which only ever lets a client do less harm. */
export function createCallLimits(limits: McpLimits, clock: Clock): CallLimits {
  const calls = new Map<string, number[]>();
  const proposals = new Map<string, number[]>();
  const admit = (book: Map<string, number[]>, client: string, max: number, windowMs: number) => {
    const now = clock.now().getTime();
    const recent = (book.get(client) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= max) {
      book.set(client, recent);
      const retry = Math.ceil(((recent[0] as number) + windowMs - now) / 1000);
      return { ok: false as const, retry };
    }
    book.set(client, [...recent, now]);
    return { ok: true as const };
  };
  return {
    admitCall(client) {
      const result = admit(calls, client, limits.callsPerMinute, MINUTE);
      return result.ok
        ? undefined
        : `Too many calls: ${client} may make ${limits.callsPerMinute} tool calls a minute; nothing was done. Try again in ${result.retry}s.`;
    },
    admitProposal(client) {
      const result = admit(proposals, client, limits.proposalsPerHour, HOUR);
      return result.ok
        ? undefined
        : `Too many proposals: ${client} may propose ${limits.proposalsPerHour} actions an hour; nothing was proposed. Ask a human in the incident channel, or try again in ${Math.ceil(result.retry / 60)} min.`;
    },
  };
}
