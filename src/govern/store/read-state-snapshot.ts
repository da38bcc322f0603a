import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { emptyState, STATE_FILE_NAME, STATE_SCHEMA_VERSION, stateFileSchema } from './state-file.ts';
import type { StateStore } from './state-store.ts';
import { StoreError } from './store-error.ts';

export type StateSnapshot = Pick<
  StateStore,
  'getIncident' | 'ledger' | 'freeze' | 'pause' | 'approvedBefore'
>;

/**
 * Belay's state as its file holds it now, read and never written: no directory is created, no lock taken,
 * so `belay explain` can read the state of a running Belay. A missing file reads as a Belay that has not
 * acted yet (`found: false`); a damaged one is an error, as it is for Belay itself.
 */
export async function readStateSnapshot(
  dir: string,
): Promise<{ readonly file: string; readonly found: boolean; readonly state: StateSnapshot }> {
  const file = join(dir, STATE_FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError('corrupt-file', `State file ${file} cannot be read: ${(error as Error).message}`, {
        file,
        cause: error,
      });
    }
  }
  let data = emptyState();
  if (text !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new StoreError('corrupt-file', `State file ${file} is not JSON: ${(cause as Error).message}`, {
        file,
        cause,
      });
    }
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== STATE_SCHEMA_VERSION) {
      throw new StoreError(
        'corrupt-file',
        `State file ${file} has schema version ${JSON.stringify(version)}; this Belay reads version ${STATE_SCHEMA_VERSION}.`,
        { file },
      );
    }
    const parsed = stateFileSchema.safeParse(raw);
    if (!parsed.success)
      throw new StoreError(
        'corrupt-file',
        `State file ${file} is not valid:\n${z.prettifyError(parsed.error)}`,
        {
          file,
        },
      );
    data = parsed.data;
  }
  const frozen = structuredClone(data);
  return {
    file,
    found: text !== undefined,
    state: {
      getIncident: (id) => frozen.incidents[id],
      ledger: () => frozen.ledger,
      freeze: () => frozen.freeze,
      pause: () => frozen.pause,
      approvedBefore: () => [...frozen.approvedBefore],
    },
  };
}
