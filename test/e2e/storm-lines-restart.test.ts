import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startBelayOnFakes, startBelayProcess } from '../support/belay-process.ts';
import { crashLoopDelivery, type startFakes } from '../support/process-fakes.ts';
import { AM_TOKEN } from './support.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Fakes = Awaited<ReturnType<typeof startFakes>>;

/** The storm message's ts, once Belay has posted it. */
function stormTs(slack: Fakes['slack']): string | undefined {
  const post = slack
    .served('chat.postMessage')
    .find(
      (c) =>
        !c.body.thread_ts &&
        (c.body.metadata as { event_payload?: { storm?: unknown } } | undefined)?.event_payload?.storm,
    );
  return (post?.response as { ts?: string } | undefined)?.ts;
}

/** How often each line appears in the storm thread (each batch lists its lines one per line of text). */
function threadLines(slack: Fakes['slack'], ts: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.served('chat.postMessage')) {
    if (call.body.thread_ts !== ts) continue;
    for (const line of String(call.body.text ?? '').split('\n'))
      counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return counts;
}

/** The incidents Belay has handed to its Slack outbox so far. */
async function notified(storeDir: string): Promise<Set<string | undefined>> {
  const outbox = await readFile(join(storeDir, 'outbox', 'slack-outbox.jsonl'), 'utf8').catch(() => '');
  return new Set(
    outbox
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { entry?: { incidentId?: string } }).entry?.incidentId),
  );
}

/** The incidents in Belay's state file. */
async function incidentsIn(storeDir: string): Promise<{ id: string; title: string }[]> {
  const state = JSON.parse(await readFile(join(storeDir, 'state.json'), 'utf8').catch(() => '{}'));
  return Object.values((state.incidents ?? {}) as Record<string, { id: string; title: string }>);
}

/** Top-level incident messages, by incident id. */
function ownMessages(slack: Fakes['slack']): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.served('chat.postMessage')) {
    const id = (call.body.metadata as { event_payload?: { incident_id?: string } } | undefined)?.event_payload
      ?.incident_id;
    if (id && !call.body.thread_ts) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('Belay as a process: storm thread lines survive a crash', () => {
  it('SIGKILL while thread lines wait for their batch; after a restart each incident is listed once', async (t) => {
    const { fakes, setup, first } = await startBelayOnFakes(t);
    // 14 crash-looping Deployments at once: a storm (10 workloads), so most incidents get no message of
    // their own but a line in the storm message's thread, batched for 2-10 s.
    for (let n = 0; n < 14; n++) {
      const response = await fetch(`${setup.intakeUrl}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
        body: crashLoopDelivery(n),
      });
      assert.equal(response.status, 200);
    }
    const deadline = Date.now() + 60_000;
    let ts = stormTs(fakes.slack);
    while (!ts) {
      assert.ok(Date.now() < deadline, `no storm message within 60 s\n${first.output()}`);
      await pause(10);
      ts = stormTs(fakes.slack);
    }
    // Its thread lines wait up to 2 s for more to batch with: the crash comes inside that wait. What Belay
    // had meant to send by then is in its outbox; every incident there must reach Slack after the restart,
    // and only once.
    await pause(300);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(threadLines(fakes.slack, ts).size, 0, 'no batch was posted before the crash');
    const meant = await notified(setup.storeDir);

    const second = startBelayProcess(t, setup);
    await second.ready;
    const titles = () => incidentsIn(setup.storeDir);
    const unlisted = async () => {
      const lines = threadLines(fakes.slack, ts);
      const own = ownMessages(fakes.slack);
      return (await titles()).filter((i) => meant.has(i.id) && !own.has(i.id) && !lines.has(i.title));
    };
    let missing = await unlisted();
    const until = Date.now() + 40_000;
    while (missing.length > 0 && Date.now() < until) {
      await pause(200);
      missing = await unlisted();
    }
    assert.deepEqual(
      missing.map((i) => i.title),
      [],
      `every incident in the outbox has its own message or a line in the storm thread\n${second.output()}`,
    );
    // Longer than a batch's quiet wait, so a line posted twice would be there by now.
    await pause(3_000);
    const lines = threadLines(fakes.slack, ts);
    const incidents = await titles();
    assert.deepEqual(
      incidents.filter((i) => (lines.get(i.title) ?? 0) > 1).map((i) => i.title),
      [],
      'no incident is listed twice',
    );
    assert.deepEqual(
      incidents.filter((i) => (ownMessages(fakes.slack).get(i.id) ?? 0) > 1).map((i) => i.title),
      [],
      'no incident has two messages of its own',
    );
    assert.ok(lines.size > 0, 'the storm thread lists the incidents that have no message of their own');
    // The message the restart continued counts every incident in its thread, not only those sent after it.
    const latest = fakes.slack
      .served('chat.update')
      .filter((u) => u.body.ts === ts)
      .at(-1);
    assert.match(
      String(latest?.body.text),
      new RegExp(`^Alert storm: ${lines.size} incidents`),
      `the storm message counts what its thread lists (${lines.size})`,
    );
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
