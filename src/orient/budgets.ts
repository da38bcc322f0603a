/** Limits of one investigation. Same shape as the `llm.budgets` config section. */
export interface OrientBudgets {
  readonly toolCallsPerIncident: number;
  readonly promptTokensPerIncident: number;
  readonly wallClockPerIncident: number;
  readonly toolOutputChars: number;
  readonly dailyTokens: number;
}

export const DEFAULT_BUDGETS: OrientBudgets = {
  toolCallsPerIncident: 8,
  promptTokensPerIncident: 12_000,
  wallClockPerIncident: 90_000,
  toolOutputChars: 6_000,
  dailyTokens: 500_000,
};

/** The bot's token allowance for one UTC day, shared by every incident and thread question. */
export interface DailyTokenBudget {
  readonly limit: number;
  remaining(now: Date): number;
  spend(now: Date, tokens: number): void;
  /** What was used on the day of `now`, to restore it after a restart or show it in a digest. */
  used(now: Date): number;
}

const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

/** Counts in memory; `initial` restores a day already partly spent (the caller persists `used`). */
export function createDailyTokenBudget(
  limit: number,
  initial?: { readonly day: string; readonly used: number },
): DailyTokenBudget {
  let day = initial?.day ?? '';
  let used = initial?.used ?? 0;
  const roll = (now: Date): void => {
    if (utcDay(now) !== day) {
      day = utcDay(now);
      used = 0;
    }
  };
  return {
    limit,
    remaining(now) {
      roll(now);
      return Math.max(0, limit - used);
    },
    spend(now, tokens) {
      roll(now);
      used += Math.max(0, tokens);
    },
    used(now) {
      roll(now);
      return used;
    },
  };
}

/** Belay's own estimate where a server reports no usage: about four characters per token. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);
