import { mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type Incident,
  incidentSchema,
  type Proposal,
  type ProposalState,
  proposalSchema,
} from '../../domain/index.ts';
import { ArchiveTable } from './archive-table.ts';
import { listSegments, readLines } from './audit-segment.ts';
import { AuditWriter } from './audit-writer.ts';
import { StoreError } from './store-error.ts';

// Finished proposals and resolved incidents leave state.json for an append-only archive of JSON lines
// (<store>/archive/000000000001.jsonl, …, rotated by size), so the state file, rewritten on every change,
// holds only what is live. A later line for the same id supersedes an earlier one (a succeeded proposal
// that is reverted later is archived again). The archive is loaded at start-up; revert, the incident
// message and anyone asking for an old proposal or incident read it through the state store.

export const ARCHIVE_DIR_NAME = 'archive';
export const DEFAULT_ARCHIVE_SEGMENT_BYTES = 8 * 1024 * 1024;
export const FINISHED_STATES: ReadonlySet<ProposalState> = new Set([
  'rejected',
  'expired',
  'failed',
  'succeeded',
  'reverted',
  'superseded',
]);

const archiveLineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('proposal'), value: proposalSchema }).strict(),
  z.object({ kind: z.literal('incident'), value: incidentSchema }).strict(),
]);
export type ArchivedItem = z.infer<typeof archiveLineSchema>;

export interface StateArchive {
  readonly proposals: ArchiveTable<Proposal>;
  readonly incidents: ArchiveTable<Incident>;
  /** True when this exact version is already archived (a crash between archiving and the state write). */
  has(item: ArchivedItem): boolean;
  /** Records the items in memory at once, then resolves when they are durably on disk. */
  add(items: readonly ArchivedItem[]): Promise<void>;
}

export async function openStateArchive(
  storeDir: string,
  segmentBytes = DEFAULT_ARCHIVE_SEGMENT_BYTES,
): Promise<StateArchive> {
  const dir = join(storeDir, ARCHIVE_DIR_NAME);
  await mkdir(dir, { recursive: true });
  const proposals = new ArchiveTable<Proposal>(proposalSchema);
  const incidents = new ArchiveTable<Incident>(incidentSchema);
  const segments = await listSegments(dir);
  let lastSeq = 0;
  let current: { file: string; firstSeq: number; bytes: number } | undefined;
  for (const [index, ref] of segments.entries()) {
    const newest = index === segments.length - 1;
    const { lines, completeBytes, torn } = await readLines(ref, { tolerateTorn: newest });
    for (const [i, line] of lines.entries()) {
      const where = `line ${i + 1} of ${ref.file}`;
      const { kind, id } = indexLine(line, where, ref.file);
      (kind === 'proposal' ? proposals : incidents).setLine(id, { line, where, file: ref.file });
    }
    lastSeq = ref.firstSeq + lines.length - 1;
    if (newest) {
      // A line cut off by a crash was never acknowledged; cut it away so the next starts on its own line.
      if (torn) await truncate(ref.file, completeBytes);
      current = { file: ref.file, firstSeq: ref.firstSeq, bytes: completeBytes };
    }
  }
  let failure: StoreError | undefined;
  const writer = new AuditWriter(dir, segmentBytes, current, (cause) => {
    failure = new StoreError(
      'write-failed',
      `Could not write to the history archive in ${dir}: ${(cause as Error).message}. The store refuses further ` +
        'changes until Belay restarts. Check the volume (full? read-only?).',
      { file: dir, cause },
    );
    return failure;
  });
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  return {
    proposals,
    incidents,
    has: (item) =>
      item.kind === 'proposal'
        ? same(proposals.get(item.value.id), item.value)
        : same(incidents.get(item.value.id), item.value),
    add(items) {
      if (failure) return Promise.reject(failure);
      const pending = items.map(
        (item) =>
          new Promise<void>((resolve, reject) => {
            if (item.kind === 'proposal') proposals.set(structuredClone(item.value));
            else incidents.set(structuredClone(item.value));
            writer.enqueue({ seq: ++lastSeq, line: `${JSON.stringify(item)}\n`, resolve, reject });
          }),
      );
      return Promise.all(pending).then(() => undefined);
    },
  };
}

// Lines are written as JSON.stringify({kind, value}) of schema-parsed values, whose first keys are
// schemaVersion and id: the index reads kind and id from that prefix without parsing the whole line.
const PREFIX = /^\{"kind":"(proposal|incident)","value":\{"schemaVersion":\d+,"id":("(?:[^"\\]|\\.)*")/;

/** Kind and id of an archive line; a line that does not even have them is damage, reported now. */
function indexLine(line: string, where: string, file: string): { kind: ArchivedItem['kind']; id: string } {
  const match = PREFIX.exec(line);
  if (match?.[1] && match[2])
    return { kind: match[1] as ArchivedItem['kind'], id: JSON.parse(match[2]) as string };
  // Not in the form Belay writes: parse it in full to say what is wrong, or to index it anyway.
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `The history archive is damaged at ${where}: not JSON. Restore it from backup.`,
      {
        file,
        cause,
      },
    );
  }
  const parsed = archiveLineSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreError(
      'corrupt-file',
      `The history archive is damaged at ${where}:\n${z.prettifyError(parsed.error)}\nRestore it from backup.`,
      { file },
    );
  }
  return { kind: parsed.data.kind, id: parsed.data.value.id };
}
