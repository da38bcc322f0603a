// Honest health (issue 13 item 3), through the real composition root and real HTTP: /healthz fails when the
// event loop stalls or the store is in write-failed mode; /readyz fails while the store cannot write or the
// Slack socket is down, and both name the check and list every check's state.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { startFakeSocketMode } from '../fakes/slack-socket-mode.ts';
import { fillDisk, smallDisk } from '../support/small-disk.ts';
import { slash, startWorld } from './support.ts';

interface HealthBody {
  readonly status: string;
  readonly problems: { readonly check: string; readonly detail: string }[];
  readonly checks: { readonly check: string; readonly ok: boolean; readonly detail?: string }[];
}

async function probe(url: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

/** Polls `check` (real HTTP) until it gives a value. */
async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lines under `intake:` setting the health bounds small enough for a test. */
function healthBounds(lines: string): (text: string) => string {
  return (text) => text.replace('  host: 127.0.0.1\n', `  host: 127.0.0.1\n  health:\n${lines}`);
}

/** Blocks this process's event loop, as a hot loop or CPU starvation would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else runs, timers included
  }
}

describe('health: /healthz and /readyz say what is wrong', () => {
  it('all checks pass once started, and both endpoints list every check', async (t) => {
    const world = await startWorld();
    t.after(() => world.close());
    for (const path of ['/healthz', '/readyz']) {
      const { status, body } = await probe(`${world.intakeUrl}${path}`);
      assert.equal(status, 200, path);
      assert.deepEqual(body.problems, []);
      assert.deepEqual(
        body.checks.map((c) => c.check),
        ['event-loop', 'store', 'inbox', 'intake', 'slack'],
      );
    }
    // The same checks as a gauge, one series per check.
    const metrics = await (await fetch(`${world.intakeUrl}/metrics`)).text();
    for (const name of ['event-loop', 'store', 'inbox', 'intake', 'slack'])
      assert.match(metrics, new RegExp(`^belay_health_check\\{check="${name}"\\} 1$`, 'm'));
  });

  it('a stalled event loop fails /healthz, naming the stall, until the window passes', async (t) => {
    const world = await startWorld('', '', new Date(), {
      editConfig: healthBounds('    maxEventLoopStall: 200ms\n    stallWindow: 1s\n'),
    });
    t.after(() => world.close());
    blockEventLoop(700);
    const stalled = await probe(`${world.intakeUrl}/healthz`);
    assert.equal(stalled.status, 503);
    assert.equal(stalled.body.status, 'unhealthy');
    assert.deepEqual(
      stalled.body.problems.map((p) => p.check),
      ['event-loop'],
    );
    assert.match(
      stalled.body.problems[0]?.detail ?? '',
      /event loop was blocked .* for \d+ ms \(bound 200 ms\)/,
    );
    // A liveness problem only: the process is still fit to be sent work.
    assert.equal((await fetch(`${world.intakeUrl}/readyz`)).status, 200);
    await eventually(
      'healthz recovers',
      async () => (await fetch(`${world.intakeUrl}/healthz`)).status === 200,
    );
    const recovered = await probe(`${world.intakeUrl}/healthz`);
    assert.equal(recovered.status, 200);
    assert.equal(recovered.body.status, 'ok');
  });

  it('a store in write-failed mode fails both probes, naming the store, until a restart', async (t) => {
    const disk = await smallDisk(t, '2m');
    if (!disk) return t.skip('mounting a tmpfs needs root');
    const world = await startWorld('', '', new Date(), {
      editConfig: (text) => text.replace(/store: \{ dir: [^}]*\}/, `store: { dir: ${JSON.stringify(disk)} }`),
    });
    t.after(() => world.close());
    const filler = await fillDisk(disk);
    // Pausing writes the state file: the write fails, and the store refuses every later change.
    await slash(world, 'pause', 'U0SRE0001').send();
    const health = await eventually('healthz fails', async () => {
      const answer = await probe(`${world.intakeUrl}/healthz`);
      return answer.status === 503 ? answer : undefined;
    });
    assert.deepEqual(
      health.body.problems.map((p) => p.check),
      ['store'],
    );
    assert.match(health.body.problems[0]?.detail ?? '', /ENOSPC.*restart Belay/s);
    const ready = await probe(`${world.intakeUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'unready');
    assert.ok(ready.body.problems.some((p) => p.check === 'store'));
    // Space coming back does not undo write-failed mode: memory is ahead of the disk until a restart.
    await rm(filler);
    assert.equal((await fetch(`${world.intakeUrl}/healthz`)).status, 503);
  });

  it('Socket Mode: /readyz fails naming Slack while the socket is down, and recovers on reconnect', async (t) => {
    const socket = await startFakeSocketMode();
    const world = await startWorld('', '', new Date(), {
      socketMode: socket,
      editConfig: healthBounds('    slackDownGrace: 0s\n'),
    }).catch(async (error: unknown) => {
      await socket.close();
      throw error;
    });
    // Belay first, so its socket client does not start reconnecting to a server that is going away.
    t.after(async () => {
      await world.close();
      await socket.close();
    });
    assert.equal((await fetch(`${world.intakeUrl}/readyz`)).status, 200);
    socket.dropConnections();
    const down = await eventually('readyz fails', async () => {
      const answer = await probe(`${world.intakeUrl}/readyz`);
      return answer.status === 503 ? answer : undefined;
    });
    assert.deepEqual(
      down.body.problems.map((p) => p.check),
      ['slack'],
    );
    assert.match(down.body.problems[0]?.detail ?? '', /slack connection has been down/);
    // Slack being away is no reason to restart Belay.
    assert.equal((await fetch(`${world.intakeUrl}/healthz`)).status, 200);
    // socket-mode reconnects by itself (after its ping timeout, 5 s).
    await eventually(
      'readyz recovers',
      async () => (await fetch(`${world.intakeUrl}/readyz`)).status === 200,
      20_000,
    );
    assert.equal(socket.openConnections(), 1);
  });
});
