import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { incidentSchema, ledgerEntrySchema, proposalSchema, switchStateSchema } from '../../domain/index.ts';
import { DurableFile } from './durable-file.ts';
import { createStateJson } from './state-json.ts';
import { StoreError } from './store-error.ts';
import { threadRecordSchema } from './thread-record.ts';

export const STATE_SCHEMA_VERSION = 1;
export const STATE_FILE_NAME = 'state.json';

export const deliverySchema = z
  .object({ source: z.string(), id: z.string(), at: z.iso.datetime({ offset: true }) })
  .strict();

export const stateFileSchema = z
  .object({
    schemaVersion: z.literal(STATE_SCHEMA_VERSION),
    proposals: z.record(z.string(), proposalSchema),
    ledger: z.array(ledgerEntrySchema),
    freeze: switchStateSchema,
    pause: switchStateSchema,
    /** Novelty keys (`action@target-kind`) an authorised approver has approved before. */
    approvedBefore: z.array(z.string()),
    incidents: z.record(z.string(), incidentSchema),
    /** Webhook deliveries already handled, oldest first (bounded). */
    deliveries: z.array(deliverySchema),
    /** Incident threads' alerts and turns, by incident id; absent in files written before threads were kept. */
    threads: z.record(z.string(), threadRecordSchema).default({}),
  })
  .strict();
export type StateFile = z.infer<typeof stateFileSchema>;

export function emptyState(): StateFile {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    proposals: {},
    ledger: [],
    freeze: { active: false },
    pause: { active: false },
    approvedBefore: [],
    incidents: {},
    deliveries: [],
    threads: {},
  };
}

/**
 * Opens dir/state.json, validating it. A missing file starts empty (and is written at once, so an
 * unwritable volume fails at startup, not at the first approval). A file that does not parse or validate
 * stops startup: it holds approvals, rate-limit reservations and the freeze, and resetting it silently
 * would forget all three.
 */
export async function openStateFile(dir: string): Promise<{ db: Low<StateFile>; file: string }> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, STATE_FILE_NAME);
  // Only changed records are serialized again: a whole-state JSON.stringify per write blocked webhook acks.
  const serialize = createStateJson();
  const adapter = new DurableFile<unknown>(file, {
    parse: JSON.parse,
    serialize: (d) => serialize(d as object),
  });
  const advice = `Belay will not start on a damaged state file. Restore ${file} from backup, or move it aside to start empty (that forgets pending approvals, rate-limit history and any freeze or pause).`;
  let raw: unknown;
  try {
    raw = await adapter.read();
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `State file ${file} cannot be read: ${(cause as Error).message}. ${advice}`,
      {
        file,
        cause,
      },
    );
  }
  const db = new Low<StateFile>(adapter as DurableFile<StateFile>, emptyState());
  if (raw === null) {
    await db.write();
    return { db, file };
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== STATE_SCHEMA_VERSION) {
    throw new StoreError(
      'corrupt-file',
      `State file ${file} has schema version ${JSON.stringify(version)}; this Belay reads version ${STATE_SCHEMA_VERSION}. ${advice}`,
      { file },
    );
  }
  const parsed = stateFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreError(
      'corrupt-file',
      `State file ${file} is not valid:\n${z.prettifyError(parsed.error)}\n${advice}`,
      { file },
    );
  }
  db.data = parsed.data;
  return { db, file };
}
