import { stat } from 'node:fs/promises';
import { GENESIS } from './audit-chain.ts';
import { listSegments, readSegment } from './audit-segment.ts';
import { StoreError } from './store-error.ts';

export type AuditVerification =
  | {
      ok: true;
      records: number;
      segments: number;
      /** Bytes of an unterminated last line (a write cut off by a crash), ignored. */
      tornBytes: number;
    }
  | {
      ok: false;
      /** Records that verified before the first problem. */
      records: number;
      problem: string;
      file: string | undefined;
      seq: number | undefined;
    };

/**
 * Recomputes the whole hash chain of an audit directory, from seq 1: every record's hash from its content,
 * every prev from the record before it, every seq in order, every segment starting where the one before
 * it ended. Stops at the first record that was edited, removed or reordered. Reads only; a torn last line
 * is reported, not cut away.
 */
export async function verifyAuditLog(dir: string): Promise<AuditVerification> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    return failed(0, `${dir} is not a directory. Pass the audit directory (the store's dir/audit).`, dir);
  }
  let records = 0;
  let expected = 1;
  let hash = GENESIS;
  let tornBytes = 0;
  try {
    const segments = await listSegments(dir);
    for (const [index, ref] of segments.entries()) {
      if (ref.firstSeq !== expected) {
        const what =
          ref.firstSeq > expected
            ? `seq ${expected}…${ref.firstSeq - 1} are missing: a segment or records were removed`
            : `it overlaps the segment before it, which ends at seq ${expected - 1}`;
        return failed(
          records,
          `Segment ${ref.file} starts at seq ${ref.firstSeq}, where seq ${expected} belongs: ${what}.`,
          ref.file,
          expected,
        );
      }
      const newest = index === segments.length - 1;
      const contents = await readSegment(ref, { verifyFrom: hash, tolerateTorn: newest });
      if (contents.torn) tornBytes = (await stat(ref.file)).size - contents.completeBytes;
      records += contents.entries.length;
      hash = contents.entries.at(-1)?.hash ?? hash;
      expected = contents.nextSeq;
    }
    return { ok: true, records, segments: segments.length, tornBytes };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return failed(
      records + Math.max(0, (error.seq ?? expected) - expected),
      error.message,
      error.file,
      error.seq,
    );
  }
}

function failed(records: number, problem: string, file?: string, seq?: number): AuditVerification {
  return { ok: false, records, problem, file, seq };
}
