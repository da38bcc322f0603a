import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AUDIT_SCHEMA_VERSION, type AuditEvent, auditEventSchema } from '../../domain/index.ts';
import { canonicalJson, chainHash, parseChainedLine } from './audit-chain.ts';
import { StoreError } from './store-error.ts';

// The audit log is a series of segment files named after the seq of their first record. Two formats:
//  - chained (format 2, 000000000001.jsonl): one hash-chained JSON line per record, only ever appended to;
//  - lowdb (format 1, 000000000001.json): what Belay wrote before the chain, a whole JSON document per
//    segment. Still read, never written: a log that has them continues in chained segments after them.

export type SegmentFormat = 'lowdb' | 'chained';

export interface SegmentRef {
  file: string;
  firstSeq: number;
  format: SegmentFormat;
}

export interface SegmentEntry {
  record: AuditEvent;
  /** 1-based line in a chained segment; the record's position in a lowdb one. */
  line: number;
  /** The hash this record chains to; for lowdb records, the chain hash computed when asked for. */
  prev: string | undefined;
  hash: string | undefined;
}

export interface SegmentContents {
  entries: SegmentEntry[];
  /** Bytes up to and including the last complete line (chained segments). */
  completeBytes: number;
  /** The segment ends in a line without its newline: a write cut off by a crash. */
  torn: boolean;
  /** The seq after the segment's last complete record (whether or not it was skipped). */
  nextSeq: number;
}

export interface ReadOptions {
  /** Ignore an unterminated last line (only the newest segment may have one) instead of reporting it. */
  tolerateTorn?: boolean;
  /** Skip records before this seq without parsing them. */
  fromSeq?: number;
  /** Only the last n records (parsing nothing before them). */
  lastN?: number;
  /** Recompute every record's hash from its content, chaining from `prev` (what `audit verify` does). */
  verifyFrom?: string;
}

const SEGMENT_NAME = /^(\d{12})\.(jsonl|json)$/;

const lowdbShape = z
  .object({
    schemaVersion: z.literal(1),
    firstSeq: z.number().int().positive(),
    records: z.array(z.unknown()),
  })
  .strict();

export function segmentFile(dir: string, firstSeq: number): string {
  return join(dir, `${String(firstSeq).padStart(12, '0')}.jsonl`);
}

/** Segments in seq order. Leftover temp files (.000000000001.json.tmp) are not segments. */
export async function listSegments(dir: string): Promise<SegmentRef[]> {
  const names = await readdir(dir);
  const refs = names
    .flatMap((name): SegmentRef[] => {
      const match = SEGMENT_NAME.exec(name);
      if (!match?.[1]) return [];
      return [
        {
          file: join(dir, name),
          firstSeq: Number(match[1]),
          format: match[2] === 'json' ? 'lowdb' : 'chained',
        },
      ];
    })
    .sort((a, b) => a.firstSeq - b.firstSeq);
  for (const [index, ref] of refs.entries()) {
    const before = refs[index - 1];
    if (before && before.firstSeq === ref.firstSeq) {
      throw new StoreError(
        'corrupt-file',
        `Audit segments ${before.file} and ${ref.file} both start at seq ${ref.firstSeq}; only one can be the log. ` +
          'Move the one that was copied in by hand out of the audit directory.',
        { file: ref.file, seq: ref.firstSeq },
      );
    }
  }
  return refs;
}

/**
 * Reads one segment and validates every record: its envelope, schema version, shape, that its seq is the
 * next one, and that it chains to the record before it in the segment. Anything wrong is an error naming
 * the file, line and seq, never a silently skipped record.
 */
export async function readSegment(ref: SegmentRef, options: ReadOptions = {}): Promise<SegmentContents> {
  const bytes = await readSegmentBytes(ref);
  return ref.format === 'lowdb' ? readLowdb(ref, bytes, options) : readChained(ref, bytes, options);
}

/** The complete lines of a JSON-lines segment; an unterminated last line is ignored only when tolerated. */
export async function readLines(
  ref: SegmentRef,
  options: { tolerateTorn?: boolean } = {},
): Promise<{ lines: string[]; completeBytes: number; torn: boolean }> {
  return splitLines(ref.file, await readSegmentBytes(ref), options.tolerateTorn ?? false);
}

function splitLines(file: string, bytes: Buffer, tolerateTorn: boolean) {
  const completeBytes = bytes.lastIndexOf(0x0a) + 1;
  const torn = completeBytes < bytes.length;
  if (torn && !tolerateTorn) {
    throw new StoreError(
      'corrupt-file',
      `Segment ${file} ends in an unterminated line, but it is not the newest segment: only the newest can ` +
        'end in a write cut off by a crash. It was changed after it was written; restore it from backup.',
      { file },
    );
  }
  const lines = bytes.subarray(0, completeBytes).toString('utf8').split('\n');
  lines.pop(); // the empty string after the last newline
  return { lines, completeBytes, torn };
}

function readChained(ref: SegmentRef, bytes: Buffer, options: ReadOptions): SegmentContents {
  const { file } = ref;
  const { lines, completeBytes, torn } = splitLines(file, bytes, options.tolerateTorn ?? false);
  const skip = skipped(ref, lines.length, options);
  const entries: SegmentEntry[] = [];
  let previousHash: string | undefined = skip === 0 ? options.verifyFrom : undefined;
  for (let index = skip; index < lines.length; index++) {
    const lineNo = index + 1;
    const seq = ref.firstSeq + index;
    const where = `line ${lineNo} of audit segment ${file} (where seq ${seq} belongs)`;
    const envelope = parseChainedLine(lines[index] as string);
    if (typeof envelope === 'string') {
      throw new StoreError('corrupt-file', `Audit record at ${where} is damaged: ${envelope}.`, {
        file,
        seq,
      });
    }
    const record = validateRecord(envelope.record, {
      file,
      where,
      seq,
      laterLine: (wanted) => {
        const at = lines.findIndex((text, i) => i > index && text.includes(`"seq":${wanted},`));
        return at < 0 ? undefined : at + 1;
      },
    });
    if (previousHash !== undefined && envelope.prev !== previousHash) {
      throw new StoreError(
        'corrupt-file',
        `Audit record seq ${seq} at ${where} does not chain to the record before it: its prev is ` +
          `${envelope.prev}, expected ${previousHash}. The record before it was edited and re-hashed, or replaced.`,
        { file, seq },
      );
    }
    if (options.verifyFrom !== undefined) {
      const computed = chainHash(envelope.prev, canonicalJson(envelope.record));
      if (computed !== envelope.hash) {
        throw new StoreError(
          'corrupt-file',
          `Audit record seq ${seq} at ${where} was edited: its content hashes to ${computed}, but the hash ` +
            `written with it is ${envelope.hash}.`,
          { file, seq },
        );
      }
    }
    entries.push({ record, line: lineNo, prev: envelope.prev, hash: envelope.hash });
    previousHash = envelope.hash;
  }
  return { entries, completeBytes, torn, nextSeq: ref.firstSeq + lines.length };
}

async function readSegmentBytes(ref: SegmentRef): Promise<Buffer> {
  try {
    return await readFile(ref.file);
  } catch (cause) {
    throw new StoreError('corrupt-file', `Segment ${ref.file} cannot be read: ${(cause as Error).message}.`, {
      file: ref.file,
      cause,
    });
  }
}

function readLowdb(ref: SegmentRef, bytes: Buffer, options: ReadOptions): SegmentContents {
  const { file } = ref;
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `Audit segment ${file} cannot be read as JSON: ${(cause as Error).message}. ` +
        'Belay never wrote a partial file in this format, so something else changed it; restore it from backup.',
      { file, cause },
    );
  }
  const shape = lowdbShape.safeParse(raw);
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
  const raws = shape.data.records;
  let prev = options.verifyFrom;
  const entries: SegmentEntry[] = [];
  const skip = skipped(ref, raws.length, options);
  for (let index = 0; index < raws.length; index++) {
    const seq = ref.firstSeq + index;
    // Chain hashes need every record from the start, so only skip when not hashing.
    if (index < skip && prev === undefined) continue;
    const record = validateRecord(raws[index], {
      file,
      where: `record ${index + 1} of audit segment ${file} (where seq ${seq} belongs)`,
      seq,
    });
    const hash = prev === undefined ? undefined : chainHash(prev, canonicalJson(record));
    if (index >= skip) entries.push({ record, line: index + 1, prev, hash });
    prev = hash;
  }
  return { entries, completeBytes: bytes.length, torn: false, nextSeq: ref.firstSeq + raws.length };
}

/** How many records at the start of a segment of `count` records the read can skip. */
function skipped(ref: SegmentRef, count: number, options: ReadOptions): number {
  const fromSeq = Math.max(0, (options.fromSeq ?? ref.firstSeq) - ref.firstSeq);
  return options.lastN === undefined ? fromSeq : Math.max(fromSeq, count - options.lastN);
}

interface Place {
  file: string;
  /** "line 7 of audit segment …" */
  where: string;
  seq: number;
  /** Where a record with this seq appears later in the same segment, if it does (1-based line). */
  laterLine?: (seq: number) => number | undefined;
}

function validateRecord(raw: unknown, place: Place): AuditEvent {
  const { file, where, seq } = place;
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== AUDIT_SCHEMA_VERSION) {
    throw new StoreError(
      'corrupt-file',
      `Audit record seq ${seq} at ${where} has schema version ${JSON.stringify(version)}; ` +
        `this Belay reads version ${AUDIT_SCHEMA_VERSION}. Run the Belay version that wrote it, or migrate the log.`,
      { file, seq },
    );
  }
  const parsed = auditEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreError(
      'corrupt-file',
      `Audit record seq ${seq} at ${where} is invalid (edited by hand?):\n${z.prettifyError(parsed.error)}`,
      { file, seq },
    );
  }
  const found = parsed.data.seq;
  if (found !== seq) {
    const later = place.laterLine?.(seq);
    const what =
      found < seq
        ? `seq ${found} appears again after seq ${seq - 1}: records were reordered or duplicated`
        : later !== undefined
          ? `seq ${seq} is further down, at line ${later}: records were reordered`
          : found - 1 > seq
            ? `seq ${seq}…${found - 1} are missing: records were removed`
            : `seq ${seq} is missing: a record was removed`;
    throw new StoreError('corrupt-file', `Audit record at ${where} has seq ${found}: ${what}.`, {
      file,
      seq,
    });
  }
  return parsed.data;
}
