// A 1,000-alert storm (200 crash-looping pods of 40 Deployments in 5 namespaces, 5 alerts each) sent as 25
// Alertmanager deliveries of 40 alerts by 4 senders to the REAL composition root, with fake Kubernetes,
// Slack and model on 127.0.0.1. Prints what the issue asks for: top-level Slack messages, investigations
// and model calls, the time until the last incident message is posted, and RSS before and after.
// Run: npm run bench:storm
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AM_TOKEN, startBenchWorld } from './support/belay-world.ts';
import { describeHeap, mb, readMemory, sampleRssPeak } from './support/memory-reading.ts';

const NAMESPACES = 5;
const DEPLOYMENTS_PER_NAMESPACE = 8;
const PODS_PER_DEPLOYMENT = 5;
const ALERTS_PER_POD = 5;
const PER_DELIVERY = 40;
const SENDERS = 4;

function stormAlerts() {
  const alerts = [];
  for (let ns = 0; ns < NAMESPACES; ns++)
    for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++)
      for (let p = 0; p < PODS_PER_DEPLOYMENT; p++)
        for (let a = 0; a < ALERTS_PER_POD; a++) {
          const deployment = `svc-${d}`;
          const labels = {
            alertname: [
              'KubePodCrashLooping',
              'KubePodNotReady',
              'HighErrorRate',
              'HighLatency',
              'OOMKilled',
            ][a] as string,
            namespace: `team-${ns}`,
            deployment,
            pod: `${deployment}-5d8f7c9b6-${'bcdfg'[p]}x${ns}${d}`,
            severity: 'warning',
          };
          alerts.push({
            status: 'firing',
            labels,
            annotations: { summary: `${labels.alertname} on ${labels.pod}` },
            startsAt: new Date().toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus:9090/graph',
            fingerprint: `n${ns}d${d}p${p}a${a}`,
          });
        }
  return alerts;
}

function body(alerts: unknown[], i: number): string {
  return JSON.stringify({
    receiver: 'belay',
    status: 'firing',
    alerts,
    groupLabels: { g: String(i) },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{g="${i}"}`,
    truncatedAlerts: 0,
  });
}

const world = await startBenchWorld({
  model: { repeat: { type: 'error', status: 400, message: 'bench: rules only' } },
});
const idle = readMemory();
const peak = sampleRssPeak();
const alerts = stormAlerts();
const bodies = Array.from({ length: alerts.length / PER_DELIVERY }, (_, i) =>
  body(alerts.slice(i * PER_DELIVERY, (i + 1) * PER_DELIVERY), i),
);
const started = performance.now();
let next = 0;
const statuses: number[] = [];
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    while (next < bodies.length) {
      const response = await fetch(`http://127.0.0.1:${world.intakePort}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
        body: bodies[next++] as string,
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  }),
);
const acked = performance.now() - started;

// Settled: no new Slack call for 5 s.
let lastCount = -1;
let lastCallAt = performance.now();
while (performance.now() - lastCallAt < 5_000) {
  const count = await world.fakes.slackCalls();
  if (count !== lastCount) {
    lastCount = count;
    lastCallAt = performance.now();
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const state = JSON.parse(await readFile(join(world.storeDir, 'state.json'), 'utf8'));
const incidents = Object.values(state.incidents) as { id: string; title: string; storm: boolean }[];
const posts = await world.fakes.served('chat.postMessage');
const topLevel = posts.filter((c) => !c.body.thread_ts);
const posted = new Set(
  posts.map(
    (c) => (c.body.metadata as { event_payload?: { incident_id?: string } })?.event_payload?.incident_id,
  ),
);
// An incident is shown when it has a message of its own or is listed in a storm thread.
const threadText = posts
  .filter((c) => c.body.thread_ts)
  .map((c) => String(c.body.text))
  .join('\n');
for (const i of incidents) if (threadText.includes(i.title)) posted.add(i.id);
const peakRss = peak.stop();
const stormed = readMemory();

console.log(
  `storm: ${alerts.length} alerts (${NAMESPACES * DEPLOYMENTS_PER_NAMESPACE * PODS_PER_DEPLOYMENT} pods, ${NAMESPACES * DEPLOYMENTS_PER_NAMESPACE} Deployments, ${NAMESPACES} namespaces) in ${bodies.length} deliveries`,
);
console.log(`  acknowledged all in ${acked.toFixed(0)} ms (statuses: ${[...new Set(statuses)].join(', ')})`);
console.log(
  `  incidents ${incidents.length}, flagged storm ${incidents.filter((i) => i.storm).length}, shown in Slack (own message or storm thread) ${incidents.filter((i) => posted.has(i.id)).length}`,
);
console.log(
  `  top-level Slack messages ${topLevel.length} (target ≤ 5), thread messages ${posts.length - topLevel.length}, updates ${(await world.fakes.served('chat.update')).length}`,
);
console.log(
  `  model calls ${await world.fakes.modelRequests()} (one per investigation here: the fake model refuses, rules decide)`,
);
console.log(`  last Slack call ${((lastCallAt - started) / 1_000).toFixed(1)} s after the first delivery`);
console.log(
  `  RSS idle ${mb(idle.retainedRss)}; during the storm peak ${mb(peakRss)} (growth ${mb(peakRss - idle.retainedRss)}); after it, incidents still open: ${mb(stormed.retainedRss)} (growth ${mb(stormed.retainedRss - idle.retainedRss)}; target ≤ 50 MB)${idle.forced ? ', after a memory-reducing GC' : ', no forced GC (run with --expose-gc)'}`,
);
console.log(
  `    after a plain full GC instead: idle ${mb(idle.rss)}, after the storm ${mb(stormed.rss)} (growth ${mb(stormed.rss - idle.rss)}): pages V8 grew into and keeps until a memory-reducing GC`,
);
console.log(`    idle: ${describeHeap(idle)}; after the storm: ${describeHeap(stormed)}`);

// Then the storm ends: every alert resolved, the incidents resolved and archived. RSS should come back close
// to idle (target: within 20 MB). Every reading is taken after a full GC and after a memory-reducing one
// (support/memory-reading.ts says why); the target is read on the second: what the process retains.
const resolvedAt = new Date().toISOString();
const resolvedBodies = Array.from({ length: alerts.length / PER_DELIVERY }, (_, i) =>
  JSON.stringify({
    ...JSON.parse(bodies[i] as string),
    status: 'resolved',
    alerts: alerts
      .slice(i * PER_DELIVERY, (i + 1) * PER_DELIVERY)
      .map((a) => ({ ...a, status: 'resolved', endsAt: resolvedAt })),
  }),
);
for (const text of resolvedBodies) {
  const response = await fetch(`http://127.0.0.1:${world.intakePort}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: text,
  });
  await response.arrayBuffer();
}
const live = async () =>
  Object.keys(JSON.parse(await readFile(join(world.storeDir, 'state.json'), 'utf8')).incidents).length;
const resolveStarted = performance.now();
while ((await live()) > 0 && performance.now() - resolveStarted < 60_000)
  await new Promise((resolve) => setTimeout(resolve, 250));
const stillLive = await live();
const resolved = readMemory();
console.log(
  `  after resolving: ${stillLive} incidents still live after ${((performance.now() - resolveStarted) / 1_000).toFixed(1)} s; RSS ${mb(resolved.retainedRss)} (${mb(resolved.retainedRss - idle.retainedRss)} above idle; target ≤ 20 MB)${resolved.forced ? ', after a memory-reducing GC' : ', no forced GC (run with --expose-gc)'}`,
);
console.log(
  `    after a plain full GC instead: ${mb(resolved.rss)} (${mb(resolved.rss - idle.rss)} above idle); ${describeHeap(resolved)}`,
);

await world.stop();

// Phase 2: one delivery of 3,000 alerts (3,000 pods of 600 Deployments), then an unrelated crash-loop alert:
// how long until the crash-loop incident has its own message?
{
  const world2 = await startBenchWorld();
  const big = [];
  for (let i = 0; i < 3_000; i++) {
    const deployment = `bulk-${Math.floor(i / 5)}`;
    big.push({
      status: 'firing',
      labels: {
        alertname: 'KubePodNotReady',
        namespace: `bulk-${i % 5}`,
        deployment,
        pod: `${deployment}-5d8f7c9b6-p${i}`,
      },
      annotations: {},
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `bulk${i}`,
    });
  }
  const post = async (text: string) => {
    const response = await fetch(`http://127.0.0.1:${world2.intakePort}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
      body: text,
    });
    await response.arrayBuffer();
    return response.status;
  };
  const bigBody = body(big, 0);
  const bigStatus = await post(bigBody);
  const crashLoop = {
    status: 'firing',
    labels: {
      alertname: 'KubePodCrashLooping',
      namespace: 'shop',
      deployment: 'checkout',
      pod: 'checkout-5d8f7c9b6-x2x4z',
    },
    annotations: {},
    startsAt: new Date().toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: 'checkout-crashloop',
  };
  const sentAt = performance.now();
  const crashStatus = await post(body([crashLoop], 1));
  // Posted: a message of its own, or (the correlator flags every incident opened during a storm) its line
  // in the storm thread. Also timed: how long the 3,000-alert delivery's own incidents took to process.
  const mentions = (c: { body: Record<string, unknown> }) => /checkout/.test(JSON.stringify(c.body));
  let postedAfter: number | undefined;
  let how = '';
  while (performance.now() - sentAt < 120_000) {
    const mine = (await world2.fakes.served('chat.postMessage')).find(mentions);
    if (mine) {
      postedAfter = performance.now() - sentAt;
      how = mine.body.thread_ts ? 'in the storm thread' : 'as its own message';
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(
    `3,000-alert delivery (${mb(Buffer.byteLength(bigBody))}, ${bigStatus}) then a crash-loop alert (${crashStatus}):`,
  );
  console.log(
    `  crash-loop incident posted ${postedAfter === undefined ? 'NOT within 120 s' : `${how} after ${(postedAfter / 1_000).toFixed(1)} s`} (target < 10 s); top-level messages ${(await world2.fakes.served('chat.postMessage')).filter((c) => !c.body.thread_ts).length}`,
  );
  await world2.stop();
}
