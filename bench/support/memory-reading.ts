// How much memory the benchmark process holds, read the same way at every point of a benchmark, and why.
//
// V8 keeps the heap pages it grew into during a burst (a young generation grown to tens of MB, old-space
// pages freed but pooled) until a memory-reducing GC, which its memory reducer or memory pressure starts; a
// plain full GC (`gc()`) frees the objects but keeps those pages resident. So each reading is taken twice:
// after a full GC, and after a memory-reducing one (`flavor: 'last-resort'`), which leaves what is really
// retained: live objects, compiled code, native allocations. Both need --expose-gc (npm run bench passes it).

export interface MemoryReading {
  /** RSS after a plain full GC (the pages V8 grew into still resident). */
  readonly rss: number;
  /** RSS after a memory-reducing GC: what the process really retains. */
  readonly retainedRss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly forced: boolean;
}

export function readMemory(): MemoryReading {
  const gc = globalThis.gc;
  gc?.();
  const rss = process.memoryUsage().rss;
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const m = process.memoryUsage();
  return {
    rss,
    retainedRss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    forced: gc !== undefined,
  };
}

/** The highest RSS seen, sampled every 50 ms while a burst runs (no GC forced: what the machine must have). */
export function sampleRssPeak(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** Where the memory is: the JS heap, or outside it (buffers, native modules, code). */
export function describeHeap(m: MemoryReading): string {
  return `heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`;
}
