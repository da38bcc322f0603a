// One log stream: with Belay logging to stdout, a WebClient warning (Slack answering 429) and Bolt's own
// lines come out as pino JSON with a level and a component, like every other line, never as plain text.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { deployment } from '../fakes/kube-api-builders.ts';
import { buttonValue, deliverAlert, eventually, startWorld } from './support.ts';

/**
 * What Belay writes while `body` runs: the pino stream it was given, and anything that bypassed it through
 * console (where the Slack SDK's own ConsoleLogger prints). The test runner's own stdout is left alone.
 */
async function captureOutput(body: (stdout: Writable) => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods)
    console[m] = (...parts: unknown[]) => written.push(`${parts.map(String).join(' ')}\n`);
  try {
    await body(stdout);
  } finally {
    methods.forEach((m, i) => {
      console[m] = saved[i] as (typeof console)[typeof m];
    });
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

describe('one log stream', () => {
  it("writes every line, the 429's retry warning included, as JSON with a level and a component", async () => {
    const lines = await captureOutput(async (stdout) => {
      const world = await startWorld('', '', new Date(), { logger: pino({ level: 'debug' }, stdout) });
      try {
        world.kube.seed(
          { kind: 'Namespace', metadata: { name: 'staging' } },
          deployment('staging', 'api', { replicas: 2 }),
        );
        const pod = world.kube.store.list('pods', 'staging')[0].metadata.name;
        world.slack.rateLimit('chat.postMessage', 1, 0);
        await deliverAlert(world, {
          name: 'KubePodCrashLooping',
          labels: { namespace: 'staging', pod, container: 'app', severity: 'warning' },
          startsAt: world.clock.now(),
          fingerprint: 'log-stream-1',
        });
        await eventually('the incident message after the 429', () => buttonValue(world, 'belay.approve'));
      } finally {
        await world.close();
      }
    });
    assert.ok(lines.length > 0, 'Belay logged something');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as { level?: unknown; component?: unknown; msg?: unknown };
      } catch {
        throw new assert.AssertionError({ message: `a line Belay wrote is not JSON: ${line}` });
      }
    });
    for (const entry of parsed) {
      assert.equal(typeof entry.level, 'number', JSON.stringify(entry));
      assert.match(String(entry.component), /^(belay|slack|intake)$/, JSON.stringify(entry));
    }
    assert.ok(
      // The WebClient answers a 429 at once and the send queue, the one retry layer, says it will wait.
      parsed.some((e) => e.component === 'slack' && /rate.?limit/i.test(JSON.stringify(e))),
      "the 429's retry warning is in the stream",
    );
  });
});
