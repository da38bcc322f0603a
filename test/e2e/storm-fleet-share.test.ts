import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crashLoopDelivery } from '../support/process-fakes.ts';
import { AM_TOKEN, eventually, startWorld, type World } from './support.ts';

/** 12 namespaces of 2 Deployments of 50 pods each: 1,200 pods, 24 workloads. */
function seedFleet(world: World) {
  for (let n = 0; n < 12; n++) {
    world.kube.seedPods(`fleet-${n}`, 50, 'web');
    world.kube.seedPods(`fleet-${n}`, 50, 'worker');
  }
}

/** 14 crash-looping Deployments at once in staging: a storm (10 workloads or more). */
async function storm(world: World) {
  for (let n = 0; n < 14; n++) {
    const response = await fetch(`${world.intakeUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
      body: crashLoopDelivery(n),
    });
    assert.equal(response.status, 200);
  }
}

/** The storm message's share line, as last posted or updated. */
function shareLine(world: World): string | undefined {
  const storm = world.slack
    .served('chat.postMessage')
    .find(
      (c) => (c.body.metadata as { event_payload?: { storm?: unknown } } | undefined)?.event_payload?.storm,
    );
  if (!storm) return undefined;
  const ts = (storm.response as { ts?: string }).ts;
  const last =
    world.slack
      .served('chat.update')
      .filter((c) => c.body.ts === ts)
      .at(-1) ?? storm;
  return JSON.stringify(last.body.blocks).match(/Share of the fleet:\* ([^"\\]*)/)?.[1];
}

describe('the storm message states the share of the fleet affected', () => {
  it('N of M pods (p%) in N of M namespaces, N of M workloads, with the fleet read from Kubernetes', async (t) => {
    let world = await startWorld();
    t.after(() => world.close());
    seedFleet(world);
    world = await world.restart(); // the fleet is read at start-up, in the background
    const pods = world.kube.store.list('pods', undefined).length;
    const namespaces = world.kube.store.list('namespaces', undefined).length;
    assert.ok(pods >= 1_200);
    await storm(world);
    const line = await eventually(
      'a storm message that counts the incidents against the fleet',
      () => {
        const share = shareLine(world);
        return share && /^\d+ of /.test(share) && !/^0 of/.test(share) ? share : undefined;
      },
      60_000,
    );
    const match = line.match(
      /^(\d+) of ([\d,]+) pods \((\d+)%\) in (\d+) of (\d+) namespaces, (\d+) of (\d+) workloads$/,
    );
    assert.ok(match, line);
    const [, hit, all, pct, hitNs, allNs, hitWl, allWl] = match.map((v) => Number(v?.replaceAll(',', '')));
    assert.equal(all, pods, 'every pod in the cluster is counted');
    assert.equal(allNs, namespaces);
    assert.equal(allWl, 24, "the fleet's workloads: each Deployment once, not each ReplicaSet or pod");
    assert.equal(pct, Math.round((100 * (hit as number)) / pods));
    assert.equal(hitNs, 1, 'the storm is in staging only');
    assert.ok((hitWl as number) >= 1 && (hitWl as number) <= 14);
    assert.match(line, /1,2\d\d pods/, 'large counts are written with thousands separators');
  });

  it('says the fleet size is unknown, and why, when the cluster cannot be read', async (t) => {
    let world = await startWorld();
    t.after(() => world.close());
    world.kube.inject({
      method: 'GET',
      path: '/api/v1/namespaces',
      status: 403,
      times: 1_000,
      message: 'namespaces is forbidden',
    });
    world = await world.restart();
    await storm(world);
    const line = await eventually('a storm message', () => shareLine(world), 60_000);
    assert.match(
      line,
      /^\d+ pods? in 1 namespace, \d+ workloads? \(fleet size unknown: the cluster could not be read/,
    );
  });
});
