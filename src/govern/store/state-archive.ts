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
]);

const archiveLineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('proposal'), value: proposalSchema }).strict(),
  z.object({ kind: z.literal('incident'), value: incidentSchema }).strict(),
]);
export type ArchivedItem = z.infer<typeof archiveLineSchema>;

export interface StateArchive {
  readonly proposals: Map<string, Proposal>;
  readonly incidents: Map<string, Incident>;
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
  const proposals = new Map<string, Proposal>();
  const incidents = new Map<string, Incident>();
  const segments = await listSegments(dir);
  let lastSeq = 0;
  let current: { file: string; firstSeq: number; bytes: number } | undefined;
  for (const [index, ref] of segments.entries()) {
    const newest = index === segments.length - 1;
    const { lines, completeBytes, torn } = await readLines(ref, { tolerateTorn: newest });
    for (const [i, text] of lines.entries()) {
      const item = parseLine(text, `line ${i + 1} of ${ref.file}`, ref.file);
      if (item.kind === 'proposal') proposals.set(item.value.id, item.value);
      else incidents.set(item.value.id, item.value);
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
            if (item.kind === 'proposal') proposals.set(item.value.id, structuredClone(item.value));
            else incidents.set(item.value.id, structuredClone(item.value));
            writer.enqueue({ seq: ++lastSeq, line: `${JSON.stringify(item)}\n`, resolve, reject });
          }),
      );
      return Promise.all(pending).then(() => undefined);
    },
  };
}

function parseLine(text: string, where: string, file: string): ArchivedItem {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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
  return parsed.data;
}
