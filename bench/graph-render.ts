// How long does drawing one incident graph take, and what does it cost in memory? ECharts lays the 02:17
// picture out as SVG and resvg rasterises it at 1440×720 with the bundled font. Belay draws in a child
// process (src/graph/graph-process.ts), so this measures both: the render itself in this process (the
// child's cost: time per graph, RSS of the libraries and of rasterising), then through the child as the
// bot uses it (a cold first graph, warm ones, and Belay's own RSS, which should not move).
// Target: median render under 200 ms per graph, judged on CPU time (user + system, all threads): on a
// machine shared with other work, wall time measures the queue for the cores as much as the render, so
// both are printed and the CPU time is what the target reads.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { storyGraphSpec } from '../test/support/graph-fixtures.ts';

const RUNS = 40;
const WARMUP = 5;
const BUDGET_MS = 200;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = () => {
  gc();
  return process.memoryUsage().rss;
};
const spec = storyGraphSpec();

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), max: at(1) };
}

// Through the child, as the bot draws: Belay's own RSS before and after.
const { createGraphProcess } = await import('../src/graph/graph-process.ts');
const parentIdle = rss();
const graphs = createGraphProcess();
let start = performance.now();
await graphs.render(spec);
const coldMs = performance.now() - start;
const viaChild: number[] = [];
for (let i = 0; i < 10; i++) {
  start = performance.now();
  await graphs.render(spec);
  viaChild.push(performance.now() - start);
}
const parentAfter = rss();
await graphs.close();

// In this process: what the child pays.
const idle = rss();
const { createGraphRenderer } = await import('../src/graph/render-graph.ts');
const renderer = createGraphRenderer();
const png = renderer.render(spec);
const loaded = rss();
for (let i = 0; i < WARMUP; i++) renderer.render(spec);
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  start = performance.now();
  const used = process.cpuUsage();
  renderer.render(spec);
  const spent = process.cpuUsage(used);
  times.push(performance.now() - start);
  cpu.push((spent.user + spent.system) / 1_000);
}
const after = rss();
const inProcess = summary(times);
const inCpu = summary(cpu);
const child = summary(viaChild);

console.log(`graph: ${spec.samples.length} samples, PNG ${png.length} bytes (1440×720)`);
console.log(
  `render (in the child), CPU time: median ${inCpu.median.toFixed(1)} ms, p95 ${inCpu.p95.toFixed(1)} ms over ${RUNS} (target median < ${BUDGET_MS} ms)`,
);
console.log(
  `render (in the child), wall time: median ${inProcess.median.toFixed(1)} ms, p95 ${inProcess.p95.toFixed(1)} ms, max ${inProcess.max.toFixed(1)} ms (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`,
);
console.log(
  `through the child process: first graph (process start included) ${coldMs.toFixed(0)} ms, then median ${child.median.toFixed(1)} ms, p95 ${child.p95.toFixed(1)} ms`,
);
console.log(
  `RSS of a renderer process: ${mb(idle)} idle, ${mb(loaded)} with ECharts + resvg loaded and one graph (+${mb(loaded - idle)}), ${mb(after)} after ${RUNS + WARMUP} more (+${mb(after - loaded)}); freed when the child exits after 30 s idle`,
);
console.log(
  `RSS of Belay's own process across 11 graphs: ${mb(parentIdle)} → ${mb(parentAfter)} (${mb(parentAfter - parentIdle)})`,
);
if (!(inCpu.median < BUDGET_MS)) {
  console.error(
    `✗ a graph takes ${inCpu.median.toFixed(1)} ms of CPU at the median, over the ${BUDGET_MS} ms target`,
  );
  process.exitCode = 1;
}
