import type { Alert } from '../domain/index.ts';
import { redactDeep } from '../domain/index.ts';
import type { ThreadRecord, ThreadTurnRecord } from './store/index.ts';

/** How much of a thread is kept: the last turns, within a byte budget; the alerts of the investigation. */
export const THREAD_LIMITS = { turns: 20, bytes: 16_384, turnChars: 2_000, alerts: 10 } as const;

const EMPTY: ThreadRecord = { alerts: [], turns: [] };

/** The thread's record with the investigation's alerts (redacted, the last few), its turns kept. */
export function withAlerts(record: ThreadRecord | undefined, alerts: readonly Alert[]): ThreadRecord {
  return {
    ...(record ?? EMPTY),
    alerts: redactDeep(alerts.slice(-THREAD_LIMITS.alerts)) as Alert[],
  };
}

/**
 * The thread's record with new turns appended, then bounded: each turn cut to its length, then the oldest
 * dropped until at most `turns` remain and their JSON fits in `bytes`. The newest turn always stays.
 */
export function withTurns(
  record: ThreadRecord | undefined,
  added: readonly ThreadTurnRecord[],
): ThreadRecord {
  const base = record ?? EMPTY;
  let turns = [
    ...base.turns,
    ...added.map((t) => ({ ...t, text: t.text.slice(0, THREAD_LIMITS.turnChars) })),
  ];
  turns = turns.slice(-THREAD_LIMITS.turns);
  while (turns.length > 1 && Buffer.byteLength(JSON.stringify(turns)) > THREAD_LIMITS.bytes)
    turns = turns.slice(1);
  return { ...base, turns };
}
