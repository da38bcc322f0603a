import { StoreError } from './store-error.ts';

export interface WriteWatch {
  /** Passes the work's result or error through, remembering a store that stopped accepting writes. */
  watch<T>(work: Promise<T> | T): Promise<T>;
  /** Why Belay cannot write its store, or undefined while it can. */
  problem(): string | undefined;
}

/**
 * The state store and audit log refuse every write after one failed (until a restart), so the first
 * write-failed error means every later delivery would fail too: intake refuses them (503) instead.
 */
export function createWriteWatch(): WriteWatch {
  let problem: string | undefined;
  return {
    async watch(work) {
      try {
        return await work;
      } catch (error) {
        if (error instanceof StoreError && error.code === 'write-failed') problem ??= error.message;
        throw error;
      }
    },
    problem: () => problem,
  };
}
