import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AUDIT_SCHEMA_VERSION, type AuditEvent, auditEventSchema } from '../../domain/index.ts';
import { DurableFile, type FileFormat } from './durable-file.ts';
import { StoreError } from './store-error.ts';

// The audit log is a series of bounded lowdb files named after their first seq (000000000001.json, …).
// lowdb rewrites a whole file on every write, so bounding each file keeps an append's cost independent of
// how much history is stored.

export const SEGMENT_SCHEMA_VERSION = 1;

export interface SegmentData {
  schemaVersion: typeof SEGMENT_SCHEMA_VERSION;
  firstSeq: number;
  records: AuditEvent[];
}

export interface SegmentRef {
  file: string;
  firstSeq: number;
}

const SEGMENT_NAME = /^(\d{12})\.json$/;

const segmentShape = z
  .object({
    schemaVersion: z.literal(SEGMENT_SCHEMA_VERSION),
    firstSeq: z.number().int().positive(),
    records: z.array(z.unknown()),
  })
  .strict();

/** One record per line, so `grep` and `tail` work on a segment and a diff shows what was appended. */
const segmentFormat: FileFormat<unknown> = {
  parse: JSON.parse,
  stringify: (data) => {
    const { schemaVersion, firstSeq, records } = data as SegmentData;
    const lines = records.map((r) => JSON.stringify(r)).join(',\n');
    return `{"schemaVersion":${schemaVersion},"firstSeq":${firstSeq},"records":[\n${lines}\n]}\n`;
  },
};

export function segmentFile(dir: string, firstSeq: number): string {
  return join(dir, `${String(firstSeq).padStart(12, '0')}.json`);
}

/** Segments in seq order. Steno's leftover temp files (.000000000001.json.tmp) are not segments. */
export async function listSegments(dir: string): Promise<SegmentRef[]> {
  const names = await readdir(dir);
  return names
    .flatMap((name) => {
      const match = SEGMENT_NAME.exec(name);
      return match?.[1] ? [{ file: join(dir, name), firstSeq: Number(match[1]) }] : [];
    })
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** A lowdb handle on one segment; writing it rewrites only this segment, durably. */
export function openSegment(dir: string, firstSeq: number, records: AuditEvent[] = []): Low<SegmentData> {
  const adapter = new DurableFile(segmentFile(dir, firstSeq), segmentFormat) as DurableFile<SegmentData>;
  return new Low<SegmentData>(adapter, { schemaVersion: SEGMENT_SCHEMA_VERSION, firstSeq, records });
}

/** Writes a whole segment at once (the benchmark seeds history through this, the same writer appends use). */
export async function writeSegment(dir: string, firstSeq: number, records: AuditEvent[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await openSegment(dir, firstSeq, records).write();
}

/**
 * Reads one segment and validates every record: its schema version, its shape, and that its seq is the
 * next one. Anything wrong is an error naming the segment and the seq, never a silently skipped record.
 */
export async function readSegment(ref: SegmentRef): Promise<AuditEvent[]> {
  const { file } = ref;
  let raw: unknown;
  try {
    raw = await new DurableFile(file, segmentFormat).read();
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `Audit segment ${file} cannot be read as JSON: ${(cause as Error).message}. ` +
        'Belay never writes a partial file, so something else changed it; restore it from backup.',
      { file, cause },
    );
  }
  const shape = segmentShape.safeParse(raw);
  if (!shape.success) {
    throw new StoreError(
      'corrupt-file',
      `Audit segment ${file} is not an audit segment Belay can read:\n${z.prettifyError(shape.error)}`,
      { file },
    );
  }
  if (shape.data.firstSeq !== ref.firstSeq) {
    throw new StoreError(
      'corrupt-file',
      `Audit segment ${file} says it starts at seq ${shape.data.firstSeq}, but its name says ${ref.firstSeq}; ` +
        'was it renamed or copied by hand?',
      { file, seq: ref.firstSeq },
    );
  }
  return shape.data.records.map((record, index) => validateRecord(record, file, ref.firstSeq + index));
}

function validateRecord(record: unknown, file: string, expectedSeq: number): AuditEvent {
  const version = (record as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== AUDIT_SCHEMA_VERSION) {
    throw new StoreError(
      'corrupt-file',
      `Audit record seq ${expectedSeq} in ${file} has schema version ${JSON.stringify(version)}; ` +
        `this Belay reads version ${AUDIT_SCHEMA_VERSION}. Run the Belay version that wrote it, or migrate the log.`,
      { file, seq: expectedSeq },
    );
  }
  const parsed = auditEventSchema.safeParse(record);
  if (!parsed.success) {
    throw new StoreError(
      'corrupt-file',
      `Audit record seq ${expectedSeq} in ${file} is invalid:\n${z.prettifyError(parsed.error)}`,
      { file, seq: expectedSeq },
    );
  }
  if (parsed.data.seq !== expectedSeq) {
    throw new StoreError(
      'corrupt-file',
      `Audit segment ${file} has seq ${parsed.data.seq} where seq ${expectedSeq} belongs: ` +
        'records are missing or out of order.',
      { file, seq: expectedSeq },
    );
  }
  return parsed.data;
}
