// Acknowledgement latency of POST /webhooks/alertmanager on the REAL composition root (startBelay: the
// intake thread → durable inbox → pipeline with the real store and audit on disk; fake Kubernetes and Slack
// on 127.0.0.1), with real 40-alert Alertmanager bodies from 4 concurrent senders, beside a bare node:http
// server in the same run, and beside the floor of any durable ack: the same bare server appending each body
// to a file with one fsync before it answers. Each server runs in its own worker thread; trials alternate
// between them. The fakes run in a child process of their own (as in production, where they are other
// machines), so Belay's event loop carries only Belay's work.
// Run: npm run bench:webhook
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const SENDERS = 4;
const PER_TRIAL = 100;
// Ten trials: p99 over 1,000 acks per server is the tenth-slowest, not the fifth, and steadier for it.
const TRIALS = 10;
const WARMUP = 20;
type Kind = 'belay' | 'bare' | 'fsync';

if (!isMainThread) await serve(workerData.kind as Kind);
else await main();

async function serve(kind: Kind): Promise<void> {
  const port = parentPort;
  if (!port) return;
  if (kind !== 'belay') {
    const { createServer } = await import('node:http');
    const floor = kind === 'fsync' ? await openFloorFile() : undefined;
    const answer = (res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"accepted":40}');
    };
    const server = createServer((req, res) => {
      if (!floor) {
        req.resume();
        req.on('end', () => answer(res));
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A plain appendFile + fsync per request: what any ack that is on disk costs here.
      req.on('end', () => floor.keep(Buffer.concat(chunks)).then(() => answer(res)));
    });
    server.listen(0, '127.0.0.1', () =>
      port.postMessage({ port: (server.address() as { port: number }).port }),
    );
    port.on('message', () => {
      server.closeAllConnections();
      server.close(async () => {
        await floor?.remove();
        port.postMessage({ stopped: true });
      });
    });
    return;
  }
  const { startBenchWorld } = await import('./support/belay-world.ts');
  const world = await startBenchWorld();
  port.postMessage({ port: world.intakePort });
  port.on('message', async () => {
    await world.stop();
    port.postMessage({ stopped: true });
  });
}

/** The floor's file in a temp dir of its own: each body appended and fsynced; removed when the server stops. */
async function openFloorFile() {
  const { mkdtemp, open, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'belay-bench-floor-'));
  const file = await open(join(dir, 'floor.jsonl'), 'a');
  return {
    keep: async (body: Buffer) => {
      await file.appendFile(body);
      await file.sync();
    },
    remove: async () => {
      await file.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function post(
  agent: Agent,
  port: number,
  body: string,
  token: string,
): Promise<{ ms: number; status: number }> {
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
          authorization: `Bearer ${token}`,
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

function startWorker(kind: Kind) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { kind } });
  const messages: Record<string, unknown>[] = [];
  let wake: () => void = () => {};
  worker.on('message', (m) => {
    messages.push(m);
    wake();
  });
  worker.on('error', (e) => console.error(kind, e));
  const next = async () => {
    while (messages.length === 0) await new Promise<void>((r) => (wake = r));
    return messages.shift() as Record<string, unknown>;
  };
  return { worker, next };
}

async function trial(agent: Agent, port: number, bodies: string[], token: string, into: number[]) {
  let cursor = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (cursor < bodies.length) {
        const { ms, status } = await post(agent, port, bodies[cursor++] as string, token);
        into.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { alertmanagerBody, AM_TOKEN } = await import('./support/belay-world.ts');
  const belay = startWorker('belay');
  const bare = startWorker('bare');
  const floor = startWorker('fsync');
  const belayPort = (await belay.next()).port as number;
  const barePort = (await bare.next()).port as number;
  const floorPort = (await floor.next()).port as number;
  const agents = {
    belay: new Agent({ keepAlive: true, maxSockets: SENDERS }),
    bare: new Agent({ keepAlive: true, maxSockets: SENDERS }),
    floor: new Agent({ keepAlive: true, maxSockets: SENDERS }),
  };
  let group = 0;
  const bodies = (n: number) => Array.from({ length: n }, () => alertmanagerBody(group++, 40));
  await trial(agents.belay, belayPort, bodies(WARMUP), AM_TOKEN, []);
  await trial(agents.bare, barePort, bodies(WARMUP), AM_TOKEN, []);
  await trial(agents.floor, floorPort, bodies(WARMUP), AM_TOKEN, []);
  const lat = { belay: [] as number[], bare: [] as number[], floor: [] as number[] };
  const ratios: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const b: number[] = [];
    const r: number[] = [];
    const statuses = await trial(agents.belay, belayPort, bodies(PER_TRIAL), AM_TOKEN, b);
    await trial(agents.bare, barePort, bodies(PER_TRIAL), AM_TOKEN, r);
    await trial(agents.floor, floorPort, bodies(PER_TRIAL), AM_TOKEN, lat.floor);
    lat.belay.push(...b);
    lat.bare.push(...r);
    ratios.push(pct(b, 99) / pct(r, 99));
    const refused = [...statuses].filter(([s]) => s !== 200);
    if (refused.length) console.log(`trial ${t + 1}: Belay answered ${JSON.stringify(refused)} besides 200`);
  }
  const p = (v: number) => v.toFixed(2);
  const ratio = pct(lat.belay, 99) / pct(lat.bare, 99);
  console.log(
    `webhook ack, real composition root, 40-alert bodies, ${SENDERS} senders, ${TRIALS}×${PER_TRIAL} per server`,
  );
  console.log(`  belay  p50 ${p(pct(lat.belay, 50))} ms  p99 ${p(pct(lat.belay, 99))} ms`);
  console.log(`  bare   p50 ${p(pct(lat.bare, 50))} ms  p99 ${p(pct(lat.bare, 99))} ms`);
  console.log(
    `  floor  p50 ${p(pct(lat.floor, 50))} ms  p99 ${p(pct(lat.floor, 99))} ms  (bare + appendFile + fsync per body)`,
  );
  console.log(`  p99 ratio ${ratio.toFixed(2)}× (per trial: ${ratios.map((x) => x.toFixed(1)).join(', ')})`);
  console.log(`  p99 over the durable floor ${(pct(lat.belay, 99) / pct(lat.floor, 99)).toFixed(2)}×`);
  const met = ratio <= 2 && pct(lat.belay, 99) < 50;
  console.log(`  target p99 ≤ 2× bare and < 50 ms: ${met ? 'met' : 'NOT met'}`);
  process.exitCode = met ? 0 : 1;
  for (const { worker } of [belay, bare, floor]) worker.postMessage('stop');
  for (const server of [belay, bare, floor]) await server.next();
  await Promise.all([belay, bare, floor].map(({ worker }) => worker.terminate()));
}
