/**
 * A bounded memory of message keys already handled. Slack delivers an event again when our ack was late
 * (X-Slack-Retry-Num), and a mention arrives both as `message` and as `app_mention`; either must not ask
 * the same question twice. Bounded so a long-running bot does not grow without end.
 */
export interface SeenMessages {
  /** True the first time a key is seen, false after. */
  firstTime(key: string): boolean;
}

export function createSeenMessages(capacity = 5_000): SeenMessages {
  const seen = new Set<string>();
  return {
    firstTime(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > capacity) {
        const oldest = seen.values().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      return true;
    },
  };
}
