import { mkdir, truncate } from 'node:fs/promises';
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
import { chainedLine, GENESIS } from './audit-chain.ts';
import { listSegments, readSegment, type SegmentRef } from './audit-segment.ts';
import { AuditWriter, type OpenSegmentState } from './audit-writer.ts';
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
  /** Closes the open segment once pending appends are on disk. */
  close(): Promise<void>;
  /** Why the log refuses records (its write-failed mode, until a restart), or undefined while it accepts them. */
  writeFailure(): string | undefined;
}

export interface AuditLogOptions {
  dir: string;
  clock: Clock;
  /** A segment that would grow past this many bytes is closed and a new one started. */
  segmentBytes?: number;
  /** Runs before every append and throws to refuse it: the single-writer fence, as in the state store. */
  fence?: () => void;
}

export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;

export async function createAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { dir, clock } = options;
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isInteger(segmentBytes) || segmentBytes < 1) {
    throw new RangeError(`audit segmentBytes must be a positive integer, got ${segmentBytes}`);
  }
  await mkdir(dir, { recursive: true });
  const head = await openHead(dir);
  let lastSeq = head.lastSeq;
  let lastHash = head.lastHash;
  let failure: StoreError | undefined;
  const writer = new AuditWriter(dir, segmentBytes, head.current, (cause, pending) => {
    const firstSeq = pending[0]?.seq ?? lastSeq;
    failure = new StoreError(
      'write-failed',
      `Could not write audit records from seq ${firstSeq} on: ${(cause as Error).message}. They are not on disk, and ` +
        'the audit log refuses further records until Belay restarts. Check the volume (full? read-only?).',
      { seq: firstSeq, cause },
    );
    return failure;
  });

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
    // Validated once, above (zod twice per record showed in the webhook-ack profile): the schema has no
    // transforms and every field but data is strict, so JSON can only change what data holds. Only a
    // toJSON inside data could make it something other than an object, and that is refused here.
    const record = JSON.parse(json) as AuditEvent;
    if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) {
      throw new StoreError(
        'invalid-record',
        `Refused an audit record (type ${input.type}); its data does not stay an object once stored as JSON ` +
          '(a toJSON in it?). Pass plain data.',
      );
    }
    return record;
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
    // Seq and chain are assigned now, in call order; the writer keeps that order on disk.
    const { line, hash } = chainedLine(lastHash, record);
    lastSeq = seq;
    lastHash = hash;
    return new Promise<void>((resolve, reject) => writer.enqueue({ seq, line, resolve, reject })).then(() =>
      structuredClone(record),
    );
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
    // The hash of the last record of the segment before, when it was read: a segment's first record
    // must chain to it.
    let previousHash: string | undefined;
    for (const [offset, ref] of all.slice(start).entries()) {
      checkContinuity(ref, expected);
      const { entries, nextSeq } = await readSegment(ref, {
        tolerateTorn: start + offset === all.length - 1,
        fromSeq: afterSeq + 1,
      });
      const first = entries[0];
      if (first?.line === 1 && previousHash !== undefined && first.prev !== previousHash) {
        throw linkError(ref, first.prev ?? '', previousHash);
      }
      expected = nextSeq;
      previousHash = entries.at(-1)?.hash;
      for (const { record } of entries) {
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
      const contents = await readSegment(ref, {
        tolerateTorn: index === all.length - 1,
        lastN: n - collected,
      });
      const records = contents.entries.map((e) => e.record);
      const count = contents.nextSeq - ref.firstSeq;
      if (nextFirstSeq !== undefined && contents.nextSeq !== nextFirstSeq) {
        throw gapError(all[index + 1] as SegmentRef, contents.nextSeq);
      }
      nextFirstSeq = ref.firstSeq;
      chunks.unshift(records);
      collected += count;
      // Asked for more than there is: then the log must start at seq 1, or its first segment is missing.
      if (index === 0 && collected < n && ref.firstSeq !== 1) throw gapError(ref, 1);
    }
    return chunks.flat().slice(-n);
  }

  return {
    append,
    read,
    last,
    lastSeq: () => lastSeq,
    close: () => writer.close(),
    writeFailure: () => failure?.message,
  };
}

interface Head {
  lastSeq: number;
  lastHash: string;
  /** The newest segment, when appends continue in it (a chained one). */
  current: OpenSegmentState | undefined;
}

/**
 * Where the next record goes and what it chains to. A line cut off by a crash at the end of the newest
 * segment was never acknowledged (its append resolves only after the fsync): it is cut away here, so the
 * next record starts on a line of its own.
 */
async function openHead(dir: string): Promise<Head> {
  const all = await listSegments(dir);
  const newest = all.at(-1);
  if (!newest) return { lastSeq: 0, lastHash: GENESIS, current: undefined };
  if (newest.format === 'lowdb') {
    // Written before the chain existed: the chain continues, in a new segment, from the hash of them all.
    const { nextSeq } = await readSegment(newest, { lastN: 0 });
    return { lastSeq: nextSeq - 1, lastHash: await headHash(all), current: undefined };
  }
  const contents = await readSegment(newest, { tolerateTorn: true, lastN: 1 });
  if (contents.torn) await truncate(newest.file, contents.completeBytes);
  const current = { file: newest.file, firstSeq: newest.firstSeq, bytes: contents.completeBytes };
  const lastHash = contents.entries.at(-1)?.hash ?? (await headHash(all.slice(0, -1)));
  return { lastSeq: contents.nextSeq - 1, lastHash, current };
}

/** The hash of the last record in these segments (GENESIS when there is none). */
async function headHash(refs: readonly SegmentRef[]): Promise<string> {
  const newest = refs.at(-1);
  if (!newest) return GENESIS;
  if (newest.format === 'chained') {
    const { entries } = await readSegment(newest, { lastN: 1 });
    return entries.at(-1)?.hash ?? headHash(refs.slice(0, -1));
  }
  let hash = GENESIS;
  for (const ref of refs) {
    if (ref.format !== 'lowdb') break;
    hash = (await readSegment(ref, { verifyFrom: hash })).entries.at(-1)?.hash ?? hash;
  }
  return hash;
}

function linkError(ref: SegmentRef, found: string, expected: string): StoreError {
  return new StoreError(
    'corrupt-file',
    `Audit segment ${ref.file} does not chain to the segment before it: its first record's prev is ${found}, ` +
      `but the last record before it hashes to ${expected}. A record was edited and re-hashed, or a segment replaced.`,
    { file: ref.file, seq: ref.firstSeq },
  );
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
