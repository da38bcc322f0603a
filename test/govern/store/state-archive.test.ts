import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createStateStore, STATE_FILE_NAME } from '../../../src/govern/store/index.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock, sampleIncident, sampleProposal, T0 } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const alice = { type: 'user', id: 'U0ALICE' } as const;
const bot = { type: 'bot', id: 'belay' } as const;
const CHILD = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));

async function stateFile(dir: string) {
  return JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8'));
}

/** Every complete archive line, parsed, in order (a torn last line is not a record). */
async function archiveLines(dir: string): Promise<{ kind: string; value: { id: string; state?: string } }[]> {
  const archive = join(dir, 'archive');
  const names = (await readdir(archive).catch(() => [])).filter((n) => n.endsWith('.jsonl')).sort();
  const lines: string[] = [];
  for (const name of names)
    lines.push(...(await readFile(join(archive, name), 'utf8')).split('\n').slice(0, -1));
  return lines.map((l) => JSON.parse(l));
}

/** A state file as an older Belay left it: live items and a long finished history, all in one file. */
async function legacyState(dir: string, finished: number) {
  const proposals: Record<string, unknown> = {};
  const incidents: Record<string, unknown> = {};
  for (let i = 0; i < finished; i++) {
    const id = `old-${i}`;
    proposals[id] = {
      ...sampleProposal(id, `inc-old-${i}`),
      state: 'succeeded',
      history: [
        { from: 'proposed', to: 'executing', at: T0, by: bot },
        { from: 'executing', to: 'succeeded', at: T0, by: bot },
      ],
    };
    incidents[`inc-old-${i}`] = {
      ...sampleIncident(`inc-old-${i}`, `key-${i}`),
      status: 'resolved',
      resolvedAt: T0,
    };
  }
  proposals.live = sampleProposal('live', 'inc-live');
  incidents['inc-live'] = sampleIncident('inc-live', 'key-live');
  await writeFile(
    join(dir, STATE_FILE_NAME),
    JSON.stringify({
      schemaVersion: 1,
      proposals,
      ledger: [],
      freeze: { active: true, reason: 'kept' },
      pause: { active: false },
      approvedBefore: ['restart-pod@Pod'],
      incidents,
      deliveries: [],
    }),
  );
}

describe('state archive: only live items in state.json', () => {
  it('moves a proposal that finishes to the archive, and still answers for it, before and after a restart', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    await store.createProposal(sampleProposal('p2'));
    await store.transition('p1', { from: 'proposed', to: 'rejected', by: alice });
    assert.deepEqual(Object.keys((await stateFile(dir)).proposals), ['p2']);
    assert.deepEqual(
      (await archiveLines(dir)).map((l) => [l.kind, l.value.id, l.value.state]),
      [['proposal', 'p1', 'rejected']],
    );
    assert.equal(store.getProposal('p1')?.state, 'rejected');
    assert.deepEqual(
      store.listProposals().map((p) => p.id),
      ['p1', 'p2'],
    );
    assert.deepEqual(
      store.listProposals({ states: ['proposed'] }).map((p) => p.id),
      ['p2'],
    );
    await assert.rejects(
      store.createProposal(sampleProposal('p1')),
      storeError('conflict', /already exists/),
    );
    const reopened = await createStateStore({ dir, clock: manualClock() });
    assert.equal(reopened.getProposal('p1')?.state, 'rejected');
    assert.equal((await archiveLines(dir)).length, 1, 'nothing archived twice on reopening');
  });

  it('reverts an archived proposal: the archive gets its new version, state.json stays as it was', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    await store.transition('p1', { from: 'proposed', to: 'executing', by: bot });
    await store.transition('p1', { from: 'executing', to: 'succeeded', by: bot });
    const before = await readFile(join(dir, STATE_FILE_NAME), 'utf8');
    const reopened = await createStateStore({ dir, clock: manualClock() });
    const reverted = await reopened.transition('p1', { from: 'succeeded', to: 'reverted', by: alice });
    assert.equal(reverted.ok, true);
    assert.equal(await readFile(join(dir, STATE_FILE_NAME), 'utf8'), before);
    assert.deepEqual(
      (await archiveLines(dir)).map((l) => l.value.state),
      ['succeeded', 'reverted'],
    );
    assert.equal(
      (await createStateStore({ dir, clock: manualClock() })).getProposal('p1')?.state,
      'reverted',
    );
    const again = await reopened.transition('p1', { from: 'succeeded', to: 'reverted', by: alice });
    assert.deepEqual([again.ok, !again.ok && again.reason], [false, 'wrong-state']);
  });

  it('moves a resolved incident to the archive; an open one with its key is found again', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await store.putIncident(sampleIncident('i1'));
    await store.putIncident({ ...sampleIncident('i1'), status: 'resolved', resolvedAt: T0 });
    assert.deepEqual((await stateFile(dir)).incidents, {});
    assert.equal(store.getIncident('i1')?.status, 'resolved');
    assert.equal(store.findOpenIncident(sampleIncident('i1').key), undefined);
    assert.deepEqual(
      store.listIncidents({ status: 'resolved' }).map((i) => i.id),
      ['i1'],
    );
    await store.putIncident(sampleIncident('i2'));
    assert.equal(store.findOpenIncident(sampleIncident('i2').key)?.id, 'i2');
    assert.deepEqual(Object.keys((await stateFile(dir)).incidents), ['i2']);
  });

  it('ignores a line cut off by a crash at the end of the archive, and reports damage anywhere else', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    await store.transition('p1', { from: 'proposed', to: 'rejected', by: alice });
    const segment = join(dir, 'archive', '000000000001.jsonl');
    await appendFile(segment, '{"kind":"proposal","val');
    const reopened = await createStateStore({ dir, clock: manualClock() });
    assert.equal(reopened.getProposal('p1')?.state, 'rejected');
    await reopened.createProposal(sampleProposal('p2'));
    await reopened.transition('p2', { from: 'proposed', to: 'expired', by: bot });
    assert.deepEqual(
      (await archiveLines(dir)).map((l) => l.value.id),
      ['p1', 'p2'],
    );
    await writeFile(segment, `not json\n${await readFile(segment, 'utf8')}`);
    await assert.rejects(
      createStateStore({ dir, clock: manualClock() }),
      storeError('corrupt-file', /history archive is damaged at line 1 of .*000000000001\.jsonl: not JSON/),
    );
  });
});

describe('state archive: validated when read', () => {
  it('reports a line edited into an invalid proposal when it is asked for, naming the file and line', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await store.createProposal(sampleProposal('p1'));
    await store.transition('p1', { from: 'proposed', to: 'rejected', by: alice });
    const segment = join(dir, 'archive', '000000000001.jsonl');
    await writeFile(
      segment,
      (await readFile(segment, 'utf8')).replace('"state":"rejected"', '"state":"sort-of-done"'),
    );
    const reopened = await createStateStore({ dir, clock: manualClock() });
    assert.throws(
      () => reopened.getProposal('p1'),
      storeError('corrupt-file', /history archive is damaged at line 1 of .*000000000001\.jsonl: state: /),
    );
  });
});

describe('state archive: moving history out of an old state file', () => {
  it('moves finished history to the archive at start-up, once, keeping everything live', async (t) => {
    const dir = await tempDir(t);
    await legacyState(dir, 50);
    const store = await createStateStore({ dir, clock: manualClock() });
    const state = await stateFile(dir);
    assert.deepEqual(Object.keys(state.proposals), ['live']);
    assert.deepEqual(Object.keys(state.incidents), ['inc-live']);
    assert.deepEqual(state.freeze, { active: true, reason: 'kept' });
    assert.deepEqual(state.approvedBefore, ['restart-pod@Pod']);
    assert.equal((await archiveLines(dir)).length, 100);
    assert.equal(store.getProposal('old-7')?.state, 'succeeded');
    assert.equal(store.getIncident('inc-old-7')?.status, 'resolved');
    await createStateStore({ dir, clock: manualClock() });
    assert.equal((await archiveLines(dir)).length, 100, 'the move happens once');
  });

  it('survives SIGKILL in the middle of the move: nothing lost, nothing archived twice', async (t) => {
    const dir = await tempDir(t);
    const FINISHED = 1_500;
    await legacyState(dir, FINISHED);
    let killedMidway = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = (await readdir(join(dir, 'archive')).catch(() => [])).length;
      const opened = await new Promise<boolean>((resolve, reject) => {
        const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
        });
        // Kill once the move has written a random number of archive segments: mid-move, by construction.
        const target = before + 1 + Math.floor(Math.random() * 6);
        const timer = setInterval(async () => {
          const names = await readdir(join(dir, 'archive')).catch(() => []);
          if (names.length >= target) child.kill('SIGKILL');
        }, 1);
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          clearInterval(timer);
          if (signal === 'SIGKILL') resolve(out.includes('opened'));
          else if (code === 0) resolve(true);
          else reject(new Error(`migrate child failed: ${err}`));
        });
      });
      const lines = await archiveLines(dir);
      const state = await stateFile(dir);
      const keys = lines.map((l) => `${l.kind}:${l.value.id}`);
      assert.equal(new Set(keys).size, keys.length, `attempt ${attempt}: nothing archived twice`);
      for (let i = 0; i < FINISHED; i++) {
        const archived = keys.includes(`proposal:old-${i}`);
        assert.ok(archived || state.proposals[`old-${i}`], `attempt ${attempt}: old-${i} is somewhere`);
        assert.ok(
          keys.includes(`incident:inc-old-${i}`) || state.incidents[`inc-old-${i}`],
          `attempt ${attempt}: inc-old-${i} is somewhere`,
        );
      }
      assert.ok(state.proposals.live, 'the live proposal stays in state.json');
      if (!opened && lines.length < 2 * FINISHED) killedMidway++;
      t.diagnostic(`attempt ${attempt}: opened ${opened}, ${lines.length} lines archived`);
      if (opened && killedMidway === 0) {
        // The child outran the kill: start the move over, so the test always crashes one mid-way.
        await rm(join(dir, 'archive'), { recursive: true });
        await legacyState(dir, FINISHED);
        continue;
      }
      if (opened) break;
    }
    assert.ok(killedMidway > 0, 'at least one kill landed in the middle of the move');
    const store = await createStateStore({ dir, clock: manualClock() });
    assert.equal((await archiveLines(dir)).length, 2 * FINISHED);
    assert.deepEqual(Object.keys((await stateFile(dir)).proposals), ['live']);
    assert.equal(store.listProposals().length, FINISHED + 1);
    t.diagnostic(`killed mid-move ${killedMidway} time(s)`);
  });
});
