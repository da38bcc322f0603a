import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../domain/index.ts';

// The audit log is a hash chain. Each line of a segment is
//   {"v":2,"prev":"<hex>","hash":"<hex>","record":<canonical record>}
// where hash = SHA-256( prev + "\n" + canonical(record) ) in lowercase hex, and prev is the hash of the
// record before it (GENESIS for seq 1). canonical(x) is JSON with every object's keys sorted (by UTF-16
// code units, as Array#sort does), no whitespace, arrays in order: the same record always gives the same
// bytes, whoever serialised it. Editing a record breaks its own hash; removing or reordering records breaks
// the next record's prev (and its seq). Records written before the chain existed (format 1, lowdb
// segments) are hashed the same way when a chain needs to continue from them.

export const CHAIN_FORMAT_VERSION = 2;
export const GENESIS = '0'.repeat(64);

export interface ChainedLine {
  v: typeof CHAIN_FORMAT_VERSION;
  prev: string;
  hash: string;
  record: unknown;
}

/** JSON with sorted keys: one byte sequence per value. Callers pass JSON-safe values (the log checks). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const v = (value as Record<string, unknown>)[key];
      return v === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(v)}`];
    });
  return `{${entries.join(',')}}`;
}

export function chainHash(prev: string, canonicalRecord: string): string {
  return createHash('sha256').update(`${prev}\n${canonicalRecord}`).digest('hex');
}

/** The line (with its newline) for a record chained to `prev`, and the record's hash. */
export function chainedLine(prev: string, record: AuditEvent): { line: string; hash: string } {
  const canonical = canonicalJson(record);
  const hash = chainHash(prev, canonical);
  return {
    line: `{"v":${CHAIN_FORMAT_VERSION},"prev":"${prev}","hash":"${hash}","record":${canonical}}\n`,
    hash,
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The envelope of one line, or why it is not one. Does not check the record or the hashes. */
export function parseChainedLine(text: string): ChainedLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const line = value as Partial<ChainedLine> | null;
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return 'not a JSON object';
  if (line.v !== CHAIN_FORMAT_VERSION)
    return `format version ${JSON.stringify(line.v)}, expected ${CHAIN_FORMAT_VERSION}`;
  if (typeof line.prev !== 'string' || !HEX64.test(line.prev)) return 'no valid "prev" hash';
  if (typeof line.hash !== 'string' || !HEX64.test(line.hash)) return 'no valid "hash"';
  if (!('record' in line)) return 'no "record"';
  return line as ChainedLine;
}
