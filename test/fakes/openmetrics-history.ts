// Metric history for a real Prometheus: series sampled over days, written as OpenMetrics text that
// `promtool tsdb create-blocks-from openmetrics` turns into TSDB blocks (see prometheus-tsdb.ts).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export interface HistorySeries {
  readonly name: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The value at time t (ms since the epoch), or undefined when the series does not exist then. */
  readonly valueAt: (t: number) => number | undefined;
}

export interface SamplingSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
}

/**
 * Writes the series as one OpenMetrics exposition: families grouped (as the format requires), each series'
 * samples in time order with timestamps in seconds, `# EOF` last. Streams, so weeks of history stay cheap.
 */
export async function writeOpenMetrics(path: string, series: readonly HistorySeries[], span: SamplingSpan) {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const families = new Map<string, HistorySeries[]>();
  for (const s of series) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  for (const [name, members] of families) {
    const first = members[0] as HistorySeries;
    if (members.some((m) => m.type !== first.type)) throw new Error(`family ${name} mixes metric types`);
    await write(`# HELP ${name} ${first.help}\n# TYPE ${name} ${first.type}\n`);
    for (const s of members) {
      const sampleName = s.type === 'counter' ? `${name}_total` : name;
      const labels = formatLabels(s.labels);
      let chunk = '';
      for (let t = span.startMs; t <= span.endMs; t += span.stepMs) {
        const value = s.valueAt(t);
        if (value === undefined) continue;
        chunk += `${sampleName}${labels} ${formatValue(value)} ${t / 1000}\n`;
        if (chunk.length > 1 << 16) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
    }
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** A seeded pseudo-random source (mulberry32), so a history is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic noise in [-1, 1] for a series and a time: the same (seed, t) always gives the same value. */
export function noiseAt(seed: number, t: number): number {
  return seededRandom(seed ^ Math.floor(t / 1000))() * 2 - 1;
}
