/**
 * The state file's JSON as byte chunks for one vectored write, without serializing again what did not change.
 * The store replaces a record (a proposal, an incident, a thread, a ledger entry) with a new object when it
 * changes and never mutates one it holds (readers get clones), so a record's bytes can be kept beside the
 * object itself: each write serializes only the records changed since the last one, and neither joins nor
 * re-encodes the rest. A full JSON.stringify of a storm's state, then its UTF-8 copy, took tens of
 * milliseconds on the event loop for every write, in front of every webhook acknowledgement.
 *
 * The chunks, concatenated, are exactly JSON.stringify(data) (same key order, same handling of undefined).
 */
export function createStateJson(): (data: object) => Uint8Array[] {
  // Weak: a record dropped from the state (replaced, retired to the archive) takes its bytes with it.
  const cache = new WeakMap<object, { readonly key: string | undefined; readonly bytes: Uint8Array }>();

  /** `"key":value` (or the bare value in a list), from the cache when the record is the same object. */
  const entry = (key: string | undefined, value: unknown): Uint8Array | undefined => {
    const cacheable = value !== null && typeof value === 'object';
    const hit = cacheable ? cache.get(value) : undefined;
    if (hit && hit.key === key) return hit.bytes;
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return key === undefined ? NULL : undefined;
    const bytes = encode(key === undefined ? text : `${JSON.stringify(key)}:${text}`);
    if (cacheable) cache.set(value, { key, bytes });
    return bytes;
  };

  /** A table (id → record) or a list of records: its own brackets, each element from the cache. */
  const collection = (value: object, into: Uint8Array[]) => {
    const list = Array.isArray(value);
    into.push(list ? OPEN_LIST : OPEN_TABLE);
    let first = true;
    const add = (bytes: Uint8Array | undefined) => {
      if (bytes === undefined) return;
      if (!first) into.push(COMMA);
      into.push(bytes);
      first = false;
    };
    if (list) for (const v of value) add(entry(undefined, v));
    else for (const k of Object.keys(value)) add(entry(k, (value as Record<string, unknown>)[k]));
    into.push(list ? CLOSE_LIST : CLOSE_TABLE);
  };

  return (data) => {
    const chunks: Uint8Array[] = [OPEN_TABLE];
    let first = true;
    for (const [key, value] of Object.entries(data)) {
      const plain = isCollection(value) ? undefined : (JSON.stringify(value) as string | undefined);
      if (!isCollection(value) && plain === undefined) continue;
      chunks.push(encode(`${first ? '' : ','}${JSON.stringify(key)}:${plain ?? ''}`));
      first = false;
      if (plain === undefined) collection(value as object, chunks);
    }
    chunks.push(CLOSE_TABLE);
    return chunks;
  };
}

/**
 * Top-level values worth walking record by record: lists, and plain objects whose first value is an object
 * (a table of records, not a switch state like freeze). Only a choice of speed: either way the text is the same.
 */
function isCollection(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  for (const key in value) {
    const first = (value as Record<string, unknown>)[key];
    return first !== null && typeof first === 'object';
  }
  return true;
}

/**
 * Its own allocation, not a slice of Buffer's shared 8 KB pool: a cached record kept alive must not keep a
 * whole pool slab (and the other records' bytes in it) alive with it.
 */
function encode(text: string): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

const OPEN_TABLE = encode('{');
const CLOSE_TABLE = encode('}');
const OPEN_LIST = encode('[');
const CLOSE_LIST = encode(']');
const COMMA = encode(',');
const NULL = encode('null');
