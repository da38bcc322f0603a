// Does an audit append cost the same with 100,000 records stored as on an empty log? lowdb rewrites a
// whole file per write, so this holds only because the log is segmented. Every measured append awaits its
// own durable (fsynced) write, exactly as in production.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEvent } from '../src/domain/index.ts';
import { writeSegment } from '../src/govern/store/audit-segment.ts';
import { type AuditAppendInput, createAuditLog, DEFAULT_SEGMENT_SIZE } from '../src/govern/store/index.ts';

const SEEDED = 100_000;
const APPENDS = 500;
const BUDGET = 3;
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

function record(seq: number): AuditEvent {
  return { ...input(seq), schemaVersion: 1, seq, at: clock.now().toISOString(), data: input(seq).data ?? {} };
}

async function seed(dir: string, count: number): Promise<void> {
  for (let first = 1; first <= count; first += DEFAULT_SEGMENT_SIZE) {
    const last = Math.min(count, first + DEFAULT_SEGMENT_SIZE - 1);
    const records = Array.from({ length: last - first + 1 }, (_, k) => record(first + k));
    await writeSegment(dir, first, records);
  }
}

async function measure(dir: string): Promise<number[]> {
  const log = await createAuditLog({ dir, clock });
  const start = log.lastSeq();
  const times: number[] = [];
  for (let i = 1; i <= APPENDS; i++) {
    const t0 = performance.now();
    await log.append(input(start + i));
    times.push(performance.now() - t0);
  }
  return times;
}

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

const ms = (n: number) => `${n.toFixed(3)} ms`;
const root = await mkdtemp(join(tmpdir(), 'belay-bench-'));
try {
  await measure(join(root, 'warm-up')); // JIT and page cache, so the first measured run is not penalised

  const empty = await measure(join(root, 'empty'));

  const seeded = join(root, 'seeded');
  const seedStart = performance.now();
  await seed(seeded, SEEDED);
  const seedMs = performance.now() - seedStart;
  const full = await measure(seeded);

  // Not a multiple of the segment size: the appends start in a half-full segment and cross a boundary.
  const offset = join(root, 'seeded-offset');
  await seed(offset, SEEDED + Math.floor(DEFAULT_SEGMENT_SIZE / 2));
  const fullOffset = await measure(offset);

  const ratio = percentile(full, 50) / percentile(empty, 50);
  const ratioOffset = percentile(fullOffset, 50) / percentile(empty, 50);
  console.log(
    `segment size: ${DEFAULT_SEGMENT_SIZE} records; ${APPENDS} appends per run, each awaited (fsync)`,
  );
  console.log(`seeded ${SEEDED} records in ${ms(seedMs)}`);
  console.log(`empty store:        median ${ms(percentile(empty, 50))}  p95 ${ms(percentile(empty, 95))}`);
  console.log(`100000 stored:      median ${ms(percentile(full, 50))}  p95 ${ms(percentile(full, 95))}`);
  console.log(
    `${SEEDED + Math.floor(DEFAULT_SEGMENT_SIZE / 2)} stored:      median ${ms(percentile(fullOffset, 50))}  p95 ${ms(percentile(fullOffset, 95))}`,
  );
  console.log(`ratio (100000 / empty): ${ratio.toFixed(2)}`);
  console.log(`ratio (${SEEDED + Math.floor(DEFAULT_SEGMENT_SIZE / 2)} / empty): ${ratioOffset.toFixed(2)}`);
  const pass = ratio <= BUDGET && ratioOffset <= BUDGET;
  console.log(`${pass ? 'PASS' : 'FAIL'}: median append with history ≤ ${BUDGET}× median on an empty store`);
  process.exitCode = pass ? 0 : 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
