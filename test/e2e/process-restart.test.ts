import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { belaySetup, startBelayOnFakes, startBelayProcess } from '../support/belay-process.ts';
import { crashLoopDelivery, startFakes } from '../support/process-fakes.ts';
import { AM_TOKEN } from './support.ts';

async function fingerprintsInState(storeDir: string): Promise<Set<string>> {
  const state = JSON.parse(await readFile(join(storeDir, 'state.json'), 'utf8'));
  const seen = new Set<string>();
  for (const incident of Object.values(state.incidents) as { alerts: Record<string, string> }[])
    for (const fp of Object.keys(incident.alerts)) seen.add(fp);
  return seen;
}

describe('Belay as a process: nothing acknowledged is lost', () => {
  it('SIGKILL right after the 200s; after a restart every accepted alert is processed', async (t) => {
    const { setup, first } = await startBelayOnFakes(t);

    const accepted: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const response = await fetch(`${setup.intakeUrl}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
          body: crashLoopDelivery(n),
        });
        if (response.status === 200) accepted.push(`fp-svc-${n}`);
      }),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(accepted.length, 40);

    const second = startBelayProcess(t, setup);
    await second.ready;
    const deadline = Date.now() + 30_000;
    let missing = accepted;
    while (Date.now() < deadline) {
      const seen = await fingerprintsInState(setup.storeDir).catch(() => new Set<string>());
      missing = accepted.filter((fp) => !seen.has(fp));
      if (missing.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(missing, [], second.output());
    second.child.kill('SIGTERM');
    await second.exited;
  });
});

async function post(url: string, body: string): Promise<number> {
  const response = await fetch(`${url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Top-level incident messages Slack accepted, by incident id. */
function incidentPosts(slack: Awaited<ReturnType<typeof startFakes>>['slack']): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.served('chat.postMessage')) {
    const payload = (call.body.metadata as { event_payload?: { incident_id?: string } } | undefined)
      ?.event_payload;
    if (!payload?.incident_id || call.body.thread_ts) continue;
    counts.set(payload.incident_id, (counts.get(payload.incident_id) ?? 0) + 1);
  }
  return counts;
}

describe('Belay as a process: Slack failing, SIGTERM, restart', () => {
  it('exits within its stop grace while Slack rate-limits, then posts every incident exactly once after a restart', async (t) => {
    const fakes = await startFakes();
    t.after(() => fakes.close());
    fakes.slack.rateLimit('chat.postMessage', 1_000_000, 60);
    const setup = await belaySetup(t, {
      slackApiUrl: fakes.slack.apiUrl,
      kube: fakes.kube,
      extraConfig: '  stopGrace: 3s',
    });
    const first = startBelayProcess(t, setup);
    await first.ready;
    for (let n = 0; n < 8; n++) assert.equal(await post(setup.intakeUrl, crashLoopDelivery(n)), 200);
    // Wait until Belay is in a Retry-After wait, then stop it.
    while (!fakes.slack.calls.some((c) => c.method === 'chat.postMessage' && c.status === 429))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const stopAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    const took = Date.now() - stopAt;
    assert.ok(took < 3_000 + 1_500, `exited ${took} ms after SIGTERM; the grace is 3 s\n${first.output()}`);
    assert.equal(exit.signal, null, 'it exited on its own');
    assert.equal(fakes.slack.served('chat.postMessage').length, 0, 'nothing reached Slack in the first run');

    fakes.slack.rateLimit('chat.postMessage', 0);
    const second = startBelayProcess(t, setup);
    await second.ready;
    const state = async () =>
      Object.keys(JSON.parse(await readFile(join(setup.storeDir, 'state.json'), 'utf8')).incidents);
    const deadline = Date.now() + 40_000;
    let incidents = await state();
    while (Date.now() < deadline) {
      incidents = await state();
      const posted = incidentPosts(fakes.slack);
      if (incidents.length === 8 && incidents.every((id) => posted.has(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Let anything that would post twice do so before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const posted = incidentPosts(fakes.slack);
    assert.equal(incidents.length, 8);
    assert.deepEqual(
      incidents.map((id) => posted.get(id) ?? 0),
      incidents.map(() => 1),
      `every incident has exactly one message\n${second.output()}`,
    );
    second.child.kill('SIGTERM');
    await second.exited;
  });
});

describe('Belay as a process: killed between saving an incident and investigating it', () => {
  it('investigates the incident when its delivery is replayed, and posts its message once', async (t) => {
    const { fakes: before, setup, first } = await startBelayOnFakes(t);
    // The cluster stops answering: the investigation waits on its reads with the incident already saved.
    before.kube.inject({ path: /./, hang: true, times: 1_000 });
    assert.equal(await post(setup.intakeUrl, crashLoopDelivery(1)), 200);
    const saved = async () =>
      JSON.parse(await readFile(join(setup.storeDir, 'state.json'), 'utf8').catch(() => '{}')) as {
        incidents?: Record<string, unknown>;
        threads?: Record<string, unknown>;
      };
    let state = await saved();
    for (let waited = 0; Object.keys(state.incidents ?? {}).length === 0 && waited < 15_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await saved();
    }
    const [incidentId] = Object.keys(state.incidents ?? {});
    assert.ok(incidentId, `the incident was saved\n${first.output()}`);
    first.child.kill('SIGKILL');
    await first.exited;
    state = await saved();
    assert.equal(state.threads?.[incidentId], undefined, 'it was never investigated');
    assert.equal(incidentPosts(before.slack).size, 0, 'and never posted');

    // A new start against a cluster that answers: the replayed delivery reads as a repeat of the incident.
    const after = await startFakes();
    t.after(() => after.close());
    const again = await belaySetup(t, {
      slackApiUrl: after.slack.apiUrl,
      kube: after.kube,
      storeDir: setup.storeDir,
    });
    const second = startBelayProcess(t, again);
    await second.ready;
    for (let waited = 0; !incidentPosts(after.slack).has(incidentId) && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // A repeat from Alertmanager afterwards changes nothing: it was investigated once.
    assert.equal(await post(again.intakeUrl, crashLoopDelivery(1)), 200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual([...incidentPosts(after.slack)], [[incidentId, 1]], second.output());
    assert.ok((await saved()).threads?.[incidentId], 'its investigation is recorded');
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
