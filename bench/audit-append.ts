// What does an audit append cost next to the cheapest durable append there is: a plain appendFile + fsync
// of the same line on an open file? Measured in the same run, alternating trials (log, plain, plain, log,
// …) so the disk and the machine's load hit both alike. Every measured append awaits its own fsync, as
// in production. Targets: median ≤ 2× the plain median on an empty log, and ≤ 1.5× with 100,000 records
// stored, starting mid-segment (the run's first append goes into a part-full segment, not a fresh one).
import { type FileHandle, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type AuditAppendInput, createAuditLog, DEFAULT_SEGMENT_BYTES } from '../src/govern/store/index.ts';

const SEEDED = 100_000;
const TRIALS = 400;
const SEED_BATCH = 1_000;
const clock = { now: () => new Date('2025-03-14T02:17:00Z') };

function input(i: number): AuditAppendInput {
  return {
    type: 'verdict',
    actor: { type: 'bot', id: 'belay' },
    incidentId: `inc-${Math.floor(i / 20)}`,
    proposalId: `prop-${Math.floor(i / 5)}`,
    summary:
      'blocked: restart-pod databases/postgres-0 is inside the backup window postgres-nightly until 02:45 UTC',
    data: { disposition: 'blocked', rule: 'window:postgres-nightly', until: '2025-03-14T02:45:00Z', n: i },
  };
}

/** Alternates log appends and plain appends of a line as long as the log's; returns both timings. */
async function measure(dir: string, label: string): Promise<{ log: number[]; plain: number[] }> {
  const log = await createAuditLog({ dir, clock });
  const start = log.lastSeq();
  const segments = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  const newest = segments.at(-1);
  const filled = newest ? (await stat(join(dir, newest))).size : 0;
  console.log(
    `${label}: ${start} records stored in ${segments.length} segment(s); the run starts in ${newest ?? 'a new segment'} ` +
      `at ${(filled / 1024 / 1024).toFixed(2)} of ${(DEFAULT_SEGMENT_BYTES / 1024 / 1024).toFixed(0)} MiB`,
  );
  const sample = await log.append(input(start + 1)); // the line a plain append writes: the same bytes
  const line = `${JSON.stringify({ v: 2, prev: '0'.repeat(64), hash: '0'.repeat(64), record: sample })}\n`;
  const plainFile: FileHandle = await open(join(dir, 'plain.log'), 'a');
  const plainAppend = async () => {
    await plainFile.appendFile(line);
    await plainFile.sync();
  };
  const times = { log: [] as number[], plain: [] as number[] };
  try {
    for (let i = 0; i < TRIALS; i++) {
      const order: ('log' | 'plain')[] = i % 2 === 0 ? ['log', 'plain'] : ['plain', 'log'];
      for (const which of order) {
        const t0 = performance.now();
        if (which === 'log') await log.append(input(start + 2 + i));
        else await plainAppend();
        times[which].push(performance.now() - t0);
      }
    }
  } finally {
    await plainFile.close();
    await log.close();
  }
  return times;
}

/** Seeds through the log itself, many appends in flight at once (group commit keeps this quick). */
async function seed(dir: string, count: number): Promise<void> {
  const log = await createAuditLog({ dir, clock });
  for (let first = 1; first <= count; first += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, count - first + 1) }, (_, k) => input(first + k));
    await Promise.all(batch.map((b) => log.append(b)));
  }
  await log.close();
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
function p95(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN;
}

const ms = (n: number) => `${n.toFixed(3)} ms`;
function report(label: string, times: { log: number[]; plain: number[] }, budget: number): boolean {
  const ratio = median(times.log) / median(times.plain);
  const pass = ratio <= budget;
  console.log(
    `  ${label}: audit append median ${ms(median(times.log))} (p95 ${ms(p95(times.log))})  |  floor, plain appendFile+fsync: ` +
      `median ${ms(median(times.plain))} (p95 ${ms(p95(times.plain))})  |  ratio ${ratio.toFixed(2)} (target ≤ ${budget})  ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

const root = await mkdtemp(join(tmpdir(), 'belay-bench-'));
try {
  await measure(join(root, 'warm-up'), 'warm-up'); // JIT and page cache, so the first measured run is not penalised
  const empty = await measure(join(root, 'empty'), 'empty log');
  const seeded = join(root, 'seeded');
  const seedStart = performance.now();
  await seed(seeded, SEEDED);
  console.log(`seeded ${SEEDED} records in ${ms(performance.now() - seedStart)}`);
  const full = await measure(seeded, '100k log');
  console.log(`${TRIALS} trials each, alternating; every append awaited (fsync)`);
  const pass = [report('empty log', empty, 2), report('100,000 stored, mid-segment', full, 1.5)].every(
    Boolean,
  );
  console.log(`${pass ? 'PASS' : 'FAIL'}: audit append within its targets of the plain append floor`);
  process.exitCode = pass ? 0 : 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
