// How long does drawing one incident graph take, and what does it cost in memory? ECharts lays the 02:17
// picture out as SVG and resvg rasterises it at 1440×720 with the bundled font, as the bot does once per
// incident. Target: median under 200 ms per graph. RSS is printed: loading the libraries, and after many
// renders (a steady value means nothing piles up per graph).
import { performance } from 'node:perf_hooks';
import { storyGraphSpec } from '../test/support/graph-fixtures.ts';

const RUNS = 40;
const WARMUP = 5;
const BUDGET_MS = 200;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

gc();
const idle = process.memoryUsage().rss;
const { createGraphRenderer } = await import('../src/graph/index.ts');
const renderer = createGraphRenderer();
const spec = storyGraphSpec();
const first = performance.now();
const png = renderer.render(spec);
const firstMs = performance.now() - first;
gc();
const loaded = process.memoryUsage().rss;

for (let i = 0; i < WARMUP; i++) renderer.render(spec);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  renderer.render(spec);
  times.push(performance.now() - start);
}
gc();
const after = process.memoryUsage().rss;
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
const median = at(0.5);

console.log(`graph: ${spec.samples.length} samples, PNG ${png.length} bytes (1440×720)`);
console.log(`first render (cold): ${firstMs.toFixed(1)} ms`);
console.log(
  `render over ${RUNS} runs: median ${median.toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms (target median < ${BUDGET_MS} ms)`,
);
console.log(
  `RSS: idle ${mb(idle)}, with ECharts + resvg loaded and one graph drawn ${mb(loaded)} (+${mb(loaded - idle)}), after ${RUNS + WARMUP} more graphs ${mb(after)} (+${mb(after - loaded)})`,
);
if (!(median < BUDGET_MS)) {
  console.error(`✗ a graph takes ${median.toFixed(1)} ms at the median, over the ${BUDGET_MS} ms target`);
  process.exitCode = 1;
}
