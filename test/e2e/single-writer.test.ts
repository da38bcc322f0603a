import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { EXECUTOR_CALLS } from '../../src/act/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { LEASE_PERMISSIONS } from '../../src/kube/lease-lock.ts';
import { type RunningBelay, startBelay } from '../../src/main.ts';
import { fakeClock } from '../fakes/fake-clock.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { AM_TOKEN, configText, SIGNING_SECRET } from './support.ts';

// Two Belays through the real composition root against one fake cluster: the Lease decides which runs.
const LEASE =
  '  lease: { name: belay-leader, namespace: belay, leaseDuration: 1s, renewDeadline: 500ms, retryPeriod: 50ms }';

describe('one writer at a time: two Belays, one Lease', () => {
  let kube: FakeKubeApi;
  let slack: FakeSlackApi;
  const clock = fakeClock();
  const dirs: string[] = [];
  before(async () => {
    kube = await FakeKubeApi.start({
      clock,
      tokens: {
        reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
        writer: {
          user: 'system:serviceaccount:belay:belay-writer',
          grants: [...Object.values(EXECUTOR_CALLS).flat(), ...LEASE_PERMISSIONS],
        },
      },
    });
    slack = await startFakeSlackApi();
  });
  after(async () => {
    await slack.close();
    await kube.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function start(identity: string, onLeadershipLost?: (reason: string) => void): Promise<RunningBelay> {
    const dir = await mkdtemp(join(tmpdir(), 'belay-writer-'));
    dirs.push(dir);
    const text = configText(dir)
      .replace('slack:\n  mode: http', `slack:\n  mode: http\n  apiUrl: ${slack.apiUrl}`)
      .replace(
        '  verification: { timeout: 2m, pollInterval: 2s }',
        `  verification: { timeout: 2m, pollInterval: 2s }\n${LEASE}`,
      );
    const loaded = loadConfig(text, 'e2e.yaml');
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    return startBelay({
      config: loaded.config,
      env: {
        logLevel: 'silent',
        slack: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET },
        openai: {},
      },
      environment: { E2E_AM_TOKEN: AM_TOKEN },
      clock,
      logger: pino({ level: 'silent' }),
      kubeConfigLoader: (i) => kube.kubeConfig(i.context === 'writer' ? 'writer' : 'reader'),
      sleep: (ms) => clock.sleep(ms),
      ports: { intake: 0, slack: 0 },
      slackRetryConfig: { retries: 0 },
      leaderIdentity: identity,
      ...(onLeadershipLost ? { onLeadershipLost } : {}),
    });
  }
  const lease = () => kube.store.get('leases', 'belay', 'belay-leader');
  const leaseReads = () => kube.requests.filter((r) => r.resource === 'leases' && r.verb === 'get').length;
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((r) => setTimeout(r, 10));
  }

  it('the second waits as a standby, starting nothing, and takes over when the first stops', async (t) => {
    const first = await start('belay-a');
    assert.equal(lease().spec.holderIdentity, 'belay-a');
    const standby: { belay?: RunningBelay } = {};
    const starting = start('belay-b').then((b) => {
      standby.belay = b;
    });
    const reads = leaseReads();
    await until(() => leaseReads() >= reads + 5);
    assert.deepEqual(Object.keys(standby), [], 'a standby does not start its intake or Slack');
    assert.equal(lease().spec.holderIdentity, 'belay-a');

    const stoppedAt = performance.now();
    await first.stop();
    await starting;
    t.diagnostic(
      `handover after a clean stop: ${Math.round(performance.now() - stoppedAt)} ms of wall time (the lease is handed back, so no expiry wait)`,
    );
    assert.equal(lease().spec.holderIdentity, 'belay-b');
    assert.equal(lease().spec.leaseTransitions, 1);
    const health = await fetch(`http://127.0.0.1:${standby.belay?.intakePort}/healthz`);
    assert.equal(health.status, 200);
    await standby.belay?.stop();
  });

  it('a Belay whose Lease was taken stops its intake and exits through onLeadershipLost', async () => {
    let lost: string | undefined;
    const belay = await start('belay-c', (reason) => {
      lost = reason;
    });
    const url = `http://127.0.0.1:${belay.intakePort}/healthz`;
    assert.equal((await fetch(url)).status, 200);
    // Another instance took the Lease while this one was paused.
    const current = lease();
    kube.store.put('leases', {
      ...current,
      spec: { ...current.spec, holderIdentity: 'belay-d', leaseTransitions: 9 },
    });
    await until(() => lost !== undefined);
    assert.match(lost ?? '', /lease belay\/belay-leader is now held by belay-d/);
    await assert.rejects(fetch(url), 'the intake no longer listens');
    assert.equal(
      lease().spec.holderIdentity,
      'belay-d',
      'a deposed Belay does not hand back a lease it no longer holds',
    );
  });
});
