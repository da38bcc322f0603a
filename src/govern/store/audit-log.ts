import { mkdir } from 'node:fs/promises';
import type { Low } from 'lowdb';
import { z } from 'zod';
import {
  AUDIT_SCHEMA_VERSION,
  type AuditEvent,
  type AuditInput,
  type AuditType,
  auditEventSchema,
  type Clock,
  redact,
  redactDeep,
} from '../../domain/index.ts';
import {
  listSegments,
  openSegment,
  readSegment,
  type SegmentData,
  type SegmentRef,
} from './audit-segment.ts';
import { StoreError } from './store-error.ts';

/** `at` may be left out: the log stamps it with its clock. */
export type AuditAppendInput = Omit<AuditInput, 'at'> & { at?: string };

export interface AuditQuery {
  /** Only records with a greater seq. */
  afterSeq?: number;
  limit?: number;
  incidentId?: string;
  proposalId?: string;
  types?: readonly AuditType[];
}

export interface AuditLog {
  /** Resolves once the record is durably on disk; refuses (rejects, writes nothing) an invalid record. */
  append(input: AuditAppendInput): Promise<AuditEvent>;
  /** Records in seq order, every one validated as it is read. */
  read(query?: AuditQuery): Promise<AuditEvent[]>;
  /** The last n durable records, in seq order. */
  last(n: number): Promise<AuditEvent[]>;
  /** The seq of the last record appended (durable or about to be). */
  lastSeq(): number;
}

export interface AuditLogOptions {
  dir: string;
  clock: Clock;
  /** Records per segment file; bounds what each append rewrites. */
  segmentSize?: number;
  /** Runs before every append and throws to refuse it: the single-writer fence, as in the state store. */
  fence?: () => void;
}

export const DEFAULT_SEGMENT_SIZE = 500;

interface OpenSegment {
  db: Low<SegmentData>;
  /** How many of its records are known to be on disk. */
  durable: number;
}

export async function createAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { dir, clock } = options;
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  if (!Number.isInteger(segmentSize) || segmentSize < 1) {
    throw new RangeError(`audit segmentSize must be a positive integer, got ${segmentSize}`);
  }
  await mkdir(dir, { recursive: true });

  let current: OpenSegment | undefined;
  let lastSeq = 0;
  const segments = await listSegments(dir);
  const newest = segments.at(-1);
  if (newest) {
    const records = await readSegment(newest);
    current = { db: openSegment(dir, newest.firstSeq, records), durable: records.length };
    lastSeq = newest.firstSeq + records.length - 1;
  }

  // Writes run one after another: a record must never reach the disk before the one before it, or a crash
  // could leave a gap. Appends that queue up while a write runs ride on the next write (group commit),
  // and each append still resolves only after a write that contains it has finished.
  let tail: Promise<void> = Promise.resolve();
  let failure: StoreError | undefined;

  function toRecord(input: AuditAppendInput, seq: number): AuditEvent {
    // Secrets never reach the trail, whoever forgot to redact what they pass in (invariant 6).
    const candidate = {
      ...input,
      summary: redact(input.summary),
      ...(input.data ? { data: redactDeep(input.data) } : {}),
      at: input.at ?? clock.now().toISOString(),
      seq,
      schemaVersion: AUDIT_SCHEMA_VERSION,
    };
    const parsed = auditEventSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new StoreError(
        'invalid-record',
        `Refused an audit record (type ${JSON.stringify(input.type)}); nothing was written:\n` +
          z.prettifyError(parsed.error),
      );
    }
    // Store exactly what will be read back: a value JSON cannot carry is refused now, not at write time
    // (where it would break the log), and later changes to the caller's object cannot leak in.
    let json: string;
    try {
      json = JSON.stringify(parsed.data);
    } catch (cause) {
      throw new StoreError(
        'invalid-record',
        `Refused an audit record (type ${input.type}); its data cannot be stored as JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
    return auditEventSchema.parse(JSON.parse(json));
  }

  function append(input: AuditAppendInput): Promise<AuditEvent> {
    if (failure) return Promise.reject(failure);
    try {
      options.fence?.();
    } catch (error) {
      return Promise.reject(error);
    }
    const seq = lastSeq + 1;
    let record: AuditEvent;
    try {
      record = toRecord(input, seq);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!current || current.db.data.records.length >= segmentSize) {
      current = { db: openSegment(dir, seq), durable: 0 };
    }
    const segment = current;
    segment.db.data.records.push(record);
    lastSeq = seq;
    const needed = segment.db.data.records.length;

    const written = tail.then(async () => {
      if (segment.durable >= needed) return;
      const count = segment.db.data.records.length;
      try {
        await segment.db.write();
      } catch (cause) {
        failure = new StoreError(
          'write-failed',
          `Could not write audit segment for seq ${segment.db.data.firstSeq}…${count}: ${(cause as Error).message}. ` +
            `Records from seq ${segment.db.data.firstSeq + segment.durable} on are not on disk, and the audit log ` +
            'refuses further records until Belay restarts. Check the volume (full? read-only?).',
          { seq, cause },
        );
        throw failure;
      }
      segment.durable = count;
    });
    tail = written;
    return written.then(() => structuredClone(record));
  }

  async function read(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const afterSeq = query.afterSeq ?? 0;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const types = query.types ? new Set<string>(query.types) : undefined;
    const all = await listSegments(dir);
    // Start at the last segment that begins at or before the first seq we want.
    let start = 0;
    for (const [index, ref] of all.entries()) if (ref.firstSeq <= afterSeq + 1) start = index;

    const out: AuditEvent[] = [];
    // From the very first segment, the log must start at seq 1: a missing first segment is lost history.
    let expected: number | undefined = start === 0 ? 1 : undefined;
    for (const ref of all.slice(start)) {
      checkContinuity(ref, expected);
      const records = await readSegment(ref);
      expected = ref.firstSeq + records.length;
      for (const record of records) {
        if (record.seq <= afterSeq) continue;
        if (query.incidentId !== undefined && record.incidentId !== query.incidentId) continue;
        if (query.proposalId !== undefined && record.proposalId !== query.proposalId) continue;
        if (types && !types.has(record.type)) continue;
        out.push(record);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  async function last(n: number): Promise<AuditEvent[]> {
    if (n <= 0) return [];
    const all = await listSegments(dir);
    const chunks: AuditEvent[][] = [];
    let collected = 0;
    let nextFirstSeq: number | undefined;
    for (let index = all.length - 1; index >= 0 && collected < n; index--) {
      const ref = all[index] as SegmentRef;
      const records = await readSegment(ref);
      if (nextFirstSeq !== undefined && ref.firstSeq + records.length !== nextFirstSeq) {
        throw gapError(all[index + 1] as SegmentRef, ref.firstSeq + records.length);
      }
      nextFirstSeq = ref.firstSeq;
      chunks.unshift(records);
      collected += records.length;
      // Asked for more than there is: then the log must start at seq 1, or its first segment is missing.
      if (index === 0 && collected < n && ref.firstSeq !== 1) throw gapError(ref, 1);
    }
    return chunks.flat().slice(-n);
  }

  return { append, read, last, lastSeq: () => lastSeq };
}

function checkContinuity(ref: SegmentRef, expected: number | undefined): void {
  if (expected !== undefined && ref.firstSeq !== expected) throw gapError(ref, expected);
}

function gapError(ref: SegmentRef, expected: number): StoreError {
  return new StoreError(
    'corrupt-file',
    `Audit segment ${ref.file} starts at seq ${ref.firstSeq}, but the segment before it ends at seq ${expected - 1}: ` +
      'records are missing from the audit log. Restore the missing segment from backup.',
    { file: ref.file, seq: expected },
  );
}
