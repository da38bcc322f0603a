// Acknowledgement latency of POST /webhooks/alertmanager while an alert storm is being correlated, beside a
// bare node:http server, same machine, same run. Each server runs in its own worker thread so the load
// generator's work does not count against it; the Belay server processes every delivery it accepts.
// Run: npm run bench:webhook
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { systemClock } from '../src/domain/index.ts';
import { createCorrelator, InMemoryIncidentStore } from '../src/observe/correlate/index.ts';
import { createIntakeServer } from '../src/observe/intake/index.ts';

const TOKEN = 'bench-token';
const ROUNDS = 5; // each round: 1,000 alerts across 200 pods in 5 namespaces, in 100 deliveries of 10
const CONCURRENCY = 8;
const WARMUP = 500;
const TRIALS = 5;

type Kind = 'belay' | 'bare';
type Report = {
  kind: Kind;
  processedAlerts: number;
  incidents: number;
  storm: number;
  queueMax: number;
  ms: number;
};

if (!isMainThread) await serve(workerData.kind as Kind);
else await main();

async function serve(kind: Kind): Promise<void> {
  const port = parentPort;
  if (!port) return;
  if (kind === 'bare') {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"accepted":10}');
      });
    });
    server.listen(0, '127.0.0.1', () =>
      port.postMessage({ port: (server.address() as { port: number }).port }),
    );
    port.on('message', () => {
      port.postMessage({
        kind,
        processedAlerts: 0,
        incidents: 0,
        storm: 0,
        queueMax: 0,
        ms: 0,
      } satisfies Report);
      server.close();
      server.closeAllConnections();
    });
    return;
  }
  const store = new InMemoryIncidentStore();
  const correlator = createCorrelator({ store, clock: systemClock });
  let processedAlerts = 0;
  let queueMax = 0;
  const started = performance.now();
  const intake = createIntakeServer({
    onAlerts: async (alerts) => {
      await correlator.ingest(alerts);
      processedAlerts += alerts.length;
    },
    deliveries: store,
    clock: systemClock,
    logger: { warn: () => {}, error: (obj, msg) => console.error(msg, obj) },
    alertmanager: { auth: { type: 'bearer', token: TOKEN } },
  });
  const timer = setInterval(() => {
    queueMax = Math.max(queueMax, intake.queue.size);
  }, 5);
  const address = await intake.listen(0, '127.0.0.1');
  port.postMessage({ port: address.port });
  port.on('message', async () => {
    await intake.queue.idle();
    clearInterval(timer);
    const incidents = [...store.incidents.values()];
    port.postMessage({
      kind,
      processedAlerts,
      incidents: incidents.length,
      storm: incidents.filter((i) => i.storm).length,
      queueMax,
      ms: performance.now() - started,
    } satisfies Report);
    await intake.close();
  });
}

function stormDeliveries(): string[] {
  const namespaces = ['shop', 'cart', 'search', 'auth', 'media'];
  const deployments = ['api', 'web', 'worker', 'cache', 'gateway', 'feed', 'mailer', 'images'];
  const safe = 'bcdfghjklmnpqrstvwxz2456789';
  const alerts = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const namespace of namespaces) {
      for (const deployment of deployments) {
        for (let n = 0; n < 5; n++) {
          for (let a = 0; a < 5; a++) {
            const pod = `${deployment}-5d8f7c9b6-${[0, 1, 2, 3, 4].map((i) => safe[(n * 7 + i) % safe.length]).join('')}`;
            const labels = {
              alertname: `StormAlert${round}x${a}`,
              cluster: 'bench',
              namespace,
              pod,
              severity: 'warning',
            };
            alerts.push({
              status: 'firing',
              labels,
              annotations: { summary: `${pod} is failing` },
              startsAt: new Date().toISOString(),
              endsAt: new Date(Date.now() + 300_000).toISOString(),
              generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
              fingerprint: `${round}${a}${namespace}${pod}`.replace(/[^a-z0-9]/g, '').slice(0, 64),
            });
          }
        }
      }
    }
  }
  const bodies: string[] = [];
  for (let i = 0; i < alerts.length; i += 10) {
    bodies.push(
      JSON.stringify({
        version: '4',
        groupKey: `{}:{bench="${i}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'belay',
        groupLabels: {},
        commonLabels: { cluster: 'bench' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: alerts.slice(i, i + 10),
      }),
    );
  }
  return bodies;
}

function post(agent: Agent, port: number, body: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/alertmanager',
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(kind: Kind, bodies: string[]) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { kind } });
  const messages: unknown[] = [];
  let wake: () => void = () => {};
  worker.on('message', (m) => {
    messages.push(m);
    wake();
  });
  const next = async <T>() => {
    while (messages.length === 0) await new Promise<void>((r) => (wake = r));
    return messages.shift() as T;
  };
  const { port } = await next<{ port: number }>();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  for (let i = 0; i < WARMUP; i++) await post(agent, port, bodies[i % bodies.length] as string);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let cursor = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (cursor < bodies.length) {
        const body = bodies[cursor++] as string;
        const { ms, status } = await post(agent, port, body);
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const sendMs = performance.now() - started;
  worker.postMessage('report');
  const report = await next<Report>();
  agent.destroy();
  await worker.terminate();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { kind, p50: pct(50), p99: pct(99), max: latencies.at(-1) ?? 0, sendMs, statuses, report };
}

async function main(): Promise<void> {
  const bodies = stormDeliveries();
  const f = (ms: number) => `${ms.toFixed(2)} ms`.padStart(9);
  console.log(
    `webhook acknowledgement: ${TRIALS} alternating trials, each ${bodies.length} storm deliveries of 10 alerts ` +
      `(after ${WARMUP} warm-up deliveries) from ${CONCURRENCY} concurrent senders`,
  );
  const results: Record<Kind, Awaited<ReturnType<typeof run>>[]> = { bare: [], belay: [] };
  for (let trial = 1; trial <= TRIALS; trial++) {
    for (const kind of ['bare', 'belay'] as const) {
      const r = await run(kind, bodies);
      results[kind].push(r);
      const statuses = [...r.statuses].map(([s, n]) => `${s}×${n}`).join(' ');
      const processed =
        kind === 'belay'
          ? `; processed ${r.report.processedAlerts} alerts → ${r.report.incidents} incidents (${r.report.storm} storm) in ${r.report.ms.toFixed(0)} ms, queue peak ${r.report.queueMax}`
          : '';
      console.log(
        `  trial ${trial} ${kind.padEnd(5)} p50 ${f(r.p50)}  p99 ${f(r.p99)}  max ${f(r.max)}  [${statuses}]${processed}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const summary = (kind: Kind) => ({
    p50: median(results[kind].map((r) => r.p50)),
    p99: median(results[kind].map((r) => r.p99)),
  });
  const bare = summary('bare');
  const belay = summary('belay');
  console.log(`  median  bare  p50 ${f(bare.p50)}  p99 ${f(bare.p99)}`);
  console.log(`  median  belay p50 ${f(belay.p50)}  p99 ${f(belay.p99)}`);
  const ratio = belay.p99 / bare.p99;
  const ok = belay.p99 < 100 && ratio <= 2;
  console.log(
    `  target p99 < 100 ms and ≤ 2× bare: ${ok ? 'met' : 'MISSED'} (median p99 ratio ${ratio.toFixed(2)}×)`,
  );
}
