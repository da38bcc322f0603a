/** One incident's share of a delivery's work: its update, run once the incident's earlier ones are done. */
export interface LaneItem {
  /** The incident: items of one key run one at a time, in the order they were submitted. */
  readonly key: string;
  /** Outside any storm: runs before storm work that is waiting. */
  readonly urgent: boolean;
  readonly run: () => Promise<void>;
}

interface Entry {
  readonly item: LaneItem;
  readonly batch: Batch;
}

interface Batch {
  readonly waiting: Entry[];
  remaining: number;
  readonly errors: unknown[];
  readonly settle: () => void;
}

/**
 * Incident work from every delivery, across deliveries: at most `concurrency` items at once, work outside a
 * storm first, and deliveries served in turn (round robin), so a crash-loop alert that arrives behind a
 * 3,000-alert delivery is handled next, not after all of it. One incident's items keep their order.
 */
export function createIncidentLanes(options: { readonly concurrency: number }) {
  const concurrency = Math.max(1, options.concurrency);
  const batches: Batch[] = [];
  /** Per incident, its unfinished items in submission order: only the first may run. */
  const byKey = new Map<string, Entry[]>();
  let running = 0;
  let turn = 0;

  const eligible = (entry: Entry) => byKey.get(entry.item.key)?.[0] === entry;

  function pick(): Entry | undefined {
    for (const urgent of [true, false]) {
      for (let i = 0; i < batches.length; i++) {
        const index = (turn + i) % batches.length;
        const waiting = (batches[index] as Batch).waiting;
        const at = waiting.findIndex((e) => e.item.urgent === urgent && eligible(e));
        if (at === -1) continue;
        // The next pick starts at the batch after this one: every delivery gets its turn.
        turn = index + 1;
        return waiting.splice(at, 1)[0];
      }
    }
    return undefined;
  }

  function finish(entry: Entry): void {
    const queue = byKey.get(entry.item.key) ?? [];
    queue.shift();
    if (queue.length === 0) byKey.delete(entry.item.key);
    const { batch } = entry;
    batch.remaining -= 1;
    if (batch.remaining === 0) {
      batches.splice(batches.indexOf(batch), 1);
      batch.settle();
    }
  }

  function pump(): void {
    while (running < concurrency) {
      const entry = pick();
      if (!entry) return;
      running += 1;
      void entry.item
        .run()
        .catch((error: unknown) => void entry.batch.errors.push(error))
        .finally(() => {
          running -= 1;
          finish(entry);
          pump();
        });
    }
  }

  /** Runs one delivery's items; resolves when all of them are done, rejects with the first failure then. */
  function submit(items: readonly LaneItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const batch: Batch = {
        waiting: [],
        remaining: items.length,
        errors: [],
        settle: () => (batch.errors.length > 0 ? reject(batch.errors[0]) : resolve()),
      };
      for (const item of items) {
        const entry = { item, batch };
        batch.waiting.push(entry);
        const queue = byKey.get(item.key);
        if (queue) queue.push(entry);
        else byKey.set(item.key, [entry]);
      }
      batches.push(batch);
      pump();
    });
  }

  return { submit };
}
export type IncidentLanes = ReturnType<typeof createIncidentLanes>;
