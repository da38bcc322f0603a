import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { Alert } from '../../../src/domain/index.ts';
import { createHealthRegistry } from '../../../src/health/index.ts';
import {
  type IntakeThreadOptions,
  signPagerDutyBody,
  startIntakeThread,
} from '../../../src/observe/intake/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import { fillDisk, smallDisk } from '../../support/small-disk.ts';
import { AM_TOKEN, fixture, PD_SECRETS } from './intake-harness.ts';

const bearer = { authorization: `Bearer ${AM_TOKEN}`, 'content-type': 'application/json' };
const amBody = fixture('alertmanager-webhook-v4.json');
const pdTriggered = JSON.stringify(JSON.parse(fixture('pagerduty-incident-triggered.json')));

interface ThreadWorld {
  readonly url: string;
  readonly processed: Alert[][];
  readonly logger: RecordingLogger;
  readonly clock: ManualClock;
  readonly health: ReturnType<typeof createHealthRegistry>;
  readonly marked: string[];
  setUnavailable(why: string | undefined): void;
  /** Tells the thread the main side's state now (the test clock moved). */
  sync(): void;
  stop(): Promise<void>;
}

/** The intake thread as main.ts starts it, with the main thread's side played by the test. */
async function startThread(
  t: TestContext,
  overrides: Partial<IntakeThreadOptions> & { inboxDir?: string } = {},
): Promise<ThreadWorld> {
  const dir = overrides.inboxDir ?? (await mkdtemp(join(tmpdir(), 'belay-intake-thread-')));
  if (!overrides.inboxDir) t.after(() => rm(dir, { recursive: true, force: true }));
  const processed: Alert[][] = [];
  const logger = new RecordingLogger();
  const clock = new ManualClock();
  const health = createHealthRegistry();
  const marked: string[] = [];
  let unavailable: string | undefined;
  const thread = await startIntakeThread({
    worker: new URL('../../../src/boot/intake-worker.ts', import.meta.url),
    settings: {
      inboxDir: dir,
      port: 0,
      host: '127.0.0.1',
      alertmanager: { auth: { type: 'bearer', token: AM_TOKEN } },
      pagerduty: { secrets: PD_SECRETS },
    },
    onAlerts: async (alerts) => void processed.push(alerts),
    deliveries: {
      markDelivery: (source, id) => {
        if (marked.includes(`${source}/${id}`)) return false;
        marked.push(`${source}/${id}`);
        return true;
      },
    },
    clock,
    logger,
    health,
    ready: () => true,
    unavailable: () => unavailable,
    onDelivery: () => undefined,
    ...overrides,
  });
  thread.sync();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await thread.stopListening();
    await thread.stopProcessing();
    await thread.close();
  };
  t.after(stop);
  return {
    url: `http://127.0.0.1:${thread.port}`,
    processed,
    logger,
    clock,
    health,
    marked,
    setUnavailable(why) {
      unavailable = why;
      thread.sync();
    },
    sync: () => thread.sync(),
    stop,
  };
}

async function eventually<T>(what: string, probe: () => T | undefined, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the intake thread', () => {
  it('acknowledges a delivery while the main thread is blocked, and the main thread processes it after', async (t) => {
    const world = await startThread(t);
    // The sender is another process: this test's own event loop is about to be blocked.
    const sender = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const started = performance.now();
         const response = await fetch(${JSON.stringify(`${world.url}/webhooks/alertmanager`)}, {
           method: 'POST', headers: ${JSON.stringify(bearer)}, body: process.env.BODY });
         console.log(JSON.stringify({ status: response.status, ms: performance.now() - started }));`,
      ],
      { env: { ...process.env, BODY: amBody }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    sender.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise((resolve) => sender.once('exit', resolve));
    // The main thread does nothing for three seconds: no event loop, no processing, no answers from here.
    const blockedUntil = Date.now() + 3_000;
    while (Date.now() < blockedUntil);
    // The sender finished while this thread was blocked: only the intake thread answered it.
    assert.equal(world.processed.length, 0, 'nothing was processed while the main thread was blocked');
    await exited;
    const answer = JSON.parse(out) as { status: number; ms: number };
    assert.equal(answer.status, 200);
    assert.ok(answer.ms < 3_000, `answered in ${answer.ms} ms, before the main thread was free again`);
    const [alerts] = await eventually(
      'the delivery is processed',
      () => world.processed[0] && world.processed,
    );
    assert.equal(alerts?.[0]?.labels.alertname, JSON.parse(amBody).alerts[0].labels.alertname);
  });

  it("stamps alerts with the main thread's clock, and stale PagerDuty events are judged by it", async (t) => {
    const world = await startThread(t);
    const response = await fetch(`${world.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: bearer,
      body: amBody,
    });
    assert.equal(response.status, 200);
    const [alerts] = await eventually('processed', () => world.processed[0] && world.processed);
    const stamped = Date.parse(alerts?.[0]?.receivedAt ?? '');
    // The test's clock is in 2025; the system clock is not.
    assert.ok(Math.abs(stamped - world.clock.now().getTime()) < 60_000, alerts?.[0]?.receivedAt);

    // The PagerDuty event occurred at the test clock's now; two hours later it is stale.
    const headers = { 'x-pagerduty-signature': signPagerDutyBody(pdTriggered, PD_SECRETS[0] as string) };
    world.clock.advance(2 * 3_600_000);
    world.sync();
    const stale = await fetch(`${world.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers,
      body: pdTriggered,
    });
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /older than/);
  });

  it("asks the main thread's delivery ledger, so a PagerDuty resend is a duplicate", async (t) => {
    const world = await startThread(t);
    const headers = { 'x-pagerduty-signature': signPagerDutyBody(pdTriggered, PD_SECRETS[1] as string) };
    const first = await fetch(`${world.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers,
      body: pdTriggered,
    });
    assert.equal(first.status, 202);
    const again = await fetch(`${world.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers,
      body: pdTriggered,
    });
    assert.equal(again.status, 200);
    assert.match(await again.text(), /duplicate/);
    assert.equal(world.marked.length, 1);
  });

  it('answers 503 once the main thread says its store cannot write, and /healthz says why', async (t) => {
    const world = await startThread(t);
    world.setUnavailable('the state file cannot be written (ENOSPC)');
    const refused = await fetch(`${world.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: bearer,
      body: amBody,
    });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(await refused.text(), /Belay cannot process alerts now: the state file cannot be written/);
    const health = await fetch(`${world.url}/healthz`);
    assert.equal(health.status, 503);
    const body = (await health.json()) as { problems: { check: string; detail: string }[] };
    assert.deepEqual(
      body.problems.map((p) => p.check),
      ['store'],
    );
    // The main thread's registry holds the intake's checks too (for belay_health_check).
    assert.deepEqual(
      world.health.states().map(({ check }) => check.name),
      ['store', 'inbox', 'intake'],
    );
    world.setUnavailable(undefined);
    const accepted = await fetch(`${world.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: bearer,
      body: amBody,
    });
    assert.equal(accepted.status, 200);
  });

  it("logs what it refuses through the main thread's logger", async (t) => {
    const world = await startThread(t);
    const refused = await fetch(`${world.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { ...bearer, authorization: 'Bearer wrong' },
      body: amBody,
    });
    assert.equal(refused.status, 401);
    const entry = await eventually('the refusal is logged', () =>
      world.logger.entries.find((e) => e.msg === 'webhook delivery refused'),
    );
    assert.equal(entry.level, 'warn');
    assert.deepEqual(entry.obj, {
      path: '/webhooks/alertmanager',
      status: 401,
      error: 'wrong or missing credentials; check http_config in the Alertmanager receiver',
    });
    assert.ok(!JSON.stringify(world.logger.entries).includes('wrong"'), 'the credential is not logged');
  });

  it('a delivery whose processing failed is replayed first by the next start', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'belay-intake-thread-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const failing = await startThread(t, {
      inboxDir: dir,
      onAlerts: () => Promise.reject(new Error('the Kubernetes API is down')),
    });
    const response = await fetch(`${failing.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: bearer,
      body: amBody,
    });
    assert.equal(response.status, 200);
    await eventually('the failure is logged', () =>
      failing.logger.entries.find((e) => e.msg === 'processing received alerts failed'),
    );
    const logged = failing.logger.entries.find((e) => e.msg === 'processing received alerts failed');
    assert.match(JSON.stringify(logged?.obj), /the Kubernetes API is down/);
    await failing.stop();
    // A stop is not a failure of the thread: nothing says it stopped unexpectedly.
    assert.deepEqual(
      failing.logger.entries.filter((e) => /intake thread stopped/.test(e.msg)),
      [],
    );

    const again = await startThread(t, { inboxDir: dir });
    const [replayed] = await eventually('the replay', () => again.processed[0] && again.processed);
    assert.equal(replayed?.length, JSON.parse(amBody).alerts.length);
  });

  it('cannot start on a taken port: the start fails and says why', async (t) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'belay-intake-thread-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await assert.rejects(
      startThread(t, { settings: { inboxDir: dir, port, host: '127.0.0.1' } }),
      /the webhook intake could not start: .*EADDRINUSE/,
    );
  });

  it('disk full: 503 and /readyz names the inbox, through the thread; space back, it takes alerts again', async (t) => {
    const disk = await smallDisk(t);
    if (!disk) return t.skip('mounting a tmpfs needs root');
    const world = await startThread(t, { inboxDir: join(disk, 'inbox') });
    assert.equal(
      (await fetch(`${world.url}/webhooks/alertmanager`, { method: 'POST', headers: bearer, body: amBody }))
        .status,
      200,
    );
    const filler = await fillDisk(disk);
    // Bigger than what is left of the inbox file's last page.
    const body = JSON.parse(amBody);
    body.alerts = Array.from({ length: 40 }, (_, i) => ({ ...body.alerts[0], fingerprint: `fp-${i}` }));
    const refused = await fetch(`${world.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify(body),
    });
    assert.equal(refused.status, 503);
    assert.match(await refused.text(), /could not keep the delivery.*ENOSPC/);
    const ready = await fetch(`${world.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /intake inbox.*ENOSPC/);
    await rm(filler);
    assert.equal(
      (await fetch(`${world.url}/webhooks/alertmanager`, { method: 'POST', headers: bearer, body: amBody }))
        .status,
      200,
    );
    await eventually('both processed', () => world.processed.length === 2);
  });
});
