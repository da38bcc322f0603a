import { z } from 'zod';
import { alertSchema } from '../../domain/index.ts';

// An incident thread's memory: the alerts the incident was investigated with and the turns of the
// conversation, so a question asked after a restart still gets the pod, the alerts and what was said.
// Bounded on every write (thread-memory.ts), so a chatty thread cannot grow the state file without limit.

export const threadTurnSchema = z
  .object({
    author: z.string().min(1).max(100),
    text: z.string().max(4_000),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type ThreadTurnRecord = z.infer<typeof threadTurnSchema>;

export const threadRecordSchema = z
  .object({
    /** The firing alerts of the investigation, redacted; a question's facts are gathered from them. */
    alerts: z.array(alertSchema).max(10),
    /** Oldest first. */
    turns: z.array(threadTurnSchema).max(50),
  })
  .strict();
export type ThreadRecord = z.infer<typeof threadRecordSchema>;
