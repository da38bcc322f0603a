import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AM_TOKEN, eventually, startWorld, type World } from './support.ts';

const WORKLOADS = 120;

/** A real Alertmanager body of these alerts (one group). */
function body(
  alerts: { name: string; labels: Record<string, string>; fingerprint: string }[],
  group: string,
) {
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{g="${group}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'belay',
    groupLabels: { g: group },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: a.name, ...a.labels },
      annotations: {},
      startsAt: '2026-03-03T02:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: a.fingerprint,
    })),
  });
}

function post(world: World, text: string) {
  return fetch(`${world.intakeUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: text,
  });
}

/** The audit records on disk so far, in seq order. */
async function auditRecords(world: World): Promise<{ type: string; incidentId?: string; summary: string }[]> {
  const dir = join(world.storeDir, 'audit');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const lines = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8'))))
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'));
  return lines.map((l) => JSON.parse(l).record);
}

describe('a crash-loop alert behind a huge storm delivery', () => {
  let world: World;
  before(async () => {
    world = await startWorld('', '', new Date('2026-03-03T02:05:00Z'));
  });
  after(() => world.close());

  it('is investigated and posted before the storm backlog is worked off, not after all of it', async () => {
    const storm = Array.from({ length: WORKLOADS }, (_, i) => ({
      name: 'KubePodNotReady',
      labels: { namespace: `bulk-${i % 5}`, deployment: `bulk-${i}`, pod: `bulk-${i}-5d8f7c9b6-p${i}` },
      fingerprint: `bulk${i}`,
    }));
    const crashLoop = {
      name: 'KubePodCrashLooping',
      labels: { namespace: 'shop', deployment: 'checkout', pod: 'checkout-5d8f7c9b6-x2x4z' },
      fingerprint: 'checkout-crashloop',
    };
    assert.equal((await post(world, body(storm, 'storm'))).status, 200);
    assert.equal((await post(world, body([crashLoop], 'checkout'))).status, 200);

    // Everything is processed in the end: every incident got its investigation.
    let records = await auditRecords(world);
    const deadline = Date.now() + 120_000;
    while (records.filter((r) => r.type === 'model.reasoning' && r.incidentId).length < WORKLOADS + 1) {
      assert.ok(Date.now() < deadline, 'timed out waiting for every incident to be investigated');
      await new Promise((resolve) => setTimeout(resolve, 100));
      records = await auditRecords(world);
    }
    const opened = records.filter((r) => r.type === 'incident.opened');
    const checkout = opened.find((r) => /checkout/.test(r.summary));
    assert.ok(checkout, 'the crash-loop incident was opened');
    const investigated = records
      .filter((r) => r.type === 'model.reasoning' && r.incidentId)
      .map((r) => r.incidentId);
    const place = investigated.indexOf(checkout.incidentId);
    // Before: deliveries were processed one after another, so it came last (place 120 of 121). Now its
    // delivery runs beside the big one and the lanes serve deliveries in turn: it is among the first.
    assert.ok(
      place < WORKLOADS / 4,
      `the crash-loop incident was investigated ${place + 1}th of ${investigated.length}`,
    );
    await eventually(
      'the crash-loop incident in Slack',
      () => world.slack.served('chat.postMessage').some((c) => /checkout/.test(JSON.stringify(c.body))),
      30_000,
    );
  });
});
