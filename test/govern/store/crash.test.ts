import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAuditLog, createStateStore } from '../../../src/govern/store/index.ts';
import { manualClock } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
// 16 kills keep `npm test` quick; `npm run test:soak` runs many more (BELAY_CRASH_KILLS, an even number).
const KILLS = Math.max(2, 2 * Math.round(Number(process.env.BELAY_CRASH_KILLS ?? 16) / 2));

interface Acks {
  audit: number;
  state: number;
}

/** Runs the child until it has acknowledged `acks` writes, then SIGKILLs it mid-stride. */
function runAndKill(dir: string, acks: number, compileCache: string): Promise<Acks> {
  return new Promise((resolve, reject) => {
    // The compile cache halves each child's start-up, which is most of this test's time.
    const env = { ...process.env, NODE_COMPILE_CACHE: compileCache };
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const seen: Acks = { audit: 0, state: 0 };
    let count = 0;
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, seq] = line.split(' ');
        if (kind === 'audit') seen.audit = Math.max(seen.audit, Number(seq));
        if (kind === 'state') seen.state = Math.max(seen.state, Number(seq));
        count++;
      }
      if (!killed && count >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`crash child exited on its own (${signal ?? _code}): ${stderr}`));
    });
  });
}

/** Kills a child working in `dir` again and again, checking after each kill what a restart would find. */
async function killRepeatedly(dir: string, kills: number, compileCache: string): Promise<number> {
  let previous = 0;
  for (let kill = 1; kill <= kills; kill++) {
    const acks = 1 + Math.floor(Math.random() * 8);
    const acked = await runAndKill(dir, acks, compileCache);
    const context = `kill ${kill} after ${acks} acks (acknowledged audit seq ${acked.audit}, state ${acked.state})`;

    const log = await createAuditLog({ dir: join(dir, 'audit'), clock: manualClock() });
    const records = await log.read();
    assert.deepEqual(
      records.map((r) => r.seq),
      Array.from({ length: records.length }, (_, i) => i + 1),
      `gap-free, ${context}`,
    );
    assert.ok(log.lastSeq() >= acked.audit, `acknowledged audit record is on disk, ${context}`);
    assert.ok(log.lastSeq() >= previous, `nothing that was on disk disappeared, ${context}`);
    previous = log.lastSeq();

    const store = await createStateStore({ dir, clock: manualClock() });
    if (acked.state > 0) {
      assert.ok(
        store.approvedBefore().includes(`key-${acked.state}`),
        `acknowledged state write kept, ${context}`,
      );
    }
  }
  return previous;
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs at random moments: everything validates, nothing acknowledged is lost`, async (t) => {
    const compileCache = await tempDir(t);
    // Two children at a time, each in its own directory: child start-up is most of the time.
    const lanes = await Promise.all([tempDir(t), tempDir(t)]);
    const progress = await Promise.all(
      lanes.map((dir) => killRepeatedly(dir, KILLS / lanes.length, compileCache)),
    );
    for (const records of progress)
      assert.ok(records > KILLS / lanes.length, 'the child made progress between kills');
  });
});
