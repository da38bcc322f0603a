import type { z } from 'zod';
import { StoreError } from './store-error.ts';

interface Stored {
  /** The archive line, parsed and validated on first use. */
  line: string;
  where: string;
  file: string;
}

/**
 * The archived versions of one kind of item, by id. Lines read at start-up are kept as text and parsed
 * and validated when first asked for: start-up with a long history costs a scan for ids, not a parse of
 * every record, and memory holds compact strings. A line that turns out damaged is reported then, naming
 * its file and line.
 */
export class ArchiveTable<T extends { id: string; updatedAt: string }> {
  readonly #schema: z.ZodType<T>;
  readonly #stored = new Map<string, Stored>();
  readonly #parsed = new Map<string, T>();

  constructor(schema: z.ZodType<T>) {
    this.#schema = schema;
  }

  /** A line read from disk, not yet parsed. */
  setLine(id: string, stored: Stored): void {
    this.#parsed.delete(id);
    this.#stored.set(id, stored);
  }

  set(value: T): void {
    this.#stored.delete(value.id);
    this.#parsed.set(value.id, value);
  }

  has(id: string): boolean {
    return this.#parsed.has(id) || this.#stored.has(id);
  }

  get(id: string): T | undefined {
    const parsed = this.#parsed.get(id);
    if (parsed !== undefined) return parsed;
    const stored = this.#stored.get(id);
    if (stored === undefined) return undefined;
    const value = this.#validate(id, stored);
    this.set(value);
    return value;
  }

  delete(id: string): boolean {
    const had = this.has(id);
    this.#parsed.delete(id);
    this.#stored.delete(id);
    return had;
  }

  ids(): string[] {
    return [...this.#parsed.keys(), ...this.#stored.keys()];
  }

  /** Every item, parsed (this validates whatever was not yet). */
  values(): T[] {
    return this.ids().map((id) => this.get(id) as T);
  }

  #validate(id: string, stored: Stored): T {
    const fail = (why: string) =>
      new StoreError(
        'corrupt-file',
        `The history archive is damaged at ${stored.where}: ${why}. Restore it from backup.`,
        { file: stored.file },
      );
    let raw: unknown;
    try {
      raw = (JSON.parse(stored.line) as { value?: unknown }).value;
    } catch {
      throw fail('not JSON');
    }
    const parsed = this.#schema.safeParse(raw);
    if (!parsed.success)
      throw fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (parsed.data.id !== id) throw fail(`it holds id ${parsed.data.id} where ${id} was indexed`);
    return parsed.data;
  }
}
