/**
 * A Map that keeps only the `capacity` most recently set or read keys: a cache in front of something that can
 * be read again (the audit trail), so a process that runs for months does not keep every key it ever saw.
 */
export function createRecentMap<K, V>(capacity: number) {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new Error(`a recent-map needs a capacity of at least 1, not ${capacity}`);
  const entries = new Map<K, V>();
  return {
    get(key: K): V | undefined {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      // Read again: it becomes the newest, so the oldest unused key goes first.
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key: K, value: V): void {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as K);
    },
    get size() {
      return entries.size;
    },
  };
}
