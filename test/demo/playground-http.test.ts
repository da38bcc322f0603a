// The playground's own endpoints, without a browser: what the page sends (alerts, clock moves, clicks,
// /remediate) reaches Belay's real composition root as Alertmanager and Slack send it, and what Belay says
// comes back in the channel the page draws. Bad requests are refused with a reason and change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { type Playground, startPlayground } from '../../src/demo/playground.ts';
import { INCIDENTS } from '../../src/demo/playground-config.ts';
import type { ChannelMessage } from '../../src/demo/slack/slack-channel.ts';
import { eventually } from '../e2e/support.ts';

const DANA = 'U0DBA0001';
const SAM = 'U0SRE0001';

describe('the playground over HTTP', () => {
  let pg: Playground;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(new URL(path, pg.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const messages = (): readonly ChannelMessage[] => pg.channels.list(INCIDENTS);
  const buttons = (m: ChannelMessage): string[] =>
    JSON.stringify(m.blocks ?? []).match(/belay\.(approve|reject|revert)/g) ?? [];
  const card = (about: RegExp) => [...messages()].reverse().find((m) => !m.threadTs && about.test(m.text));
  const evictions = () => pg.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun);

  before(async () => {
    pg = await startPlayground({ start: new Date('2026-03-14T02:16:00Z'), logLevel: 'silent' });
  });
  after(async () => {
    await pg?.stop();
  });

  it('serves the page and its scripts from one loopback port', async () => {
    assert.match(pg.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(pg.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<select id="user"[\s\S]*\/remediate[\s\S]*\/app\.js/);
    for (const file of ['app.js', 'block-kit.js', 'style.css'])
      assert.equal((await fetch(new URL(file, pg.url))).status, 200, file);
    const state = (await (await fetch(new URL('demo/state', pg.url))).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(state.people as object), [DANA, SAM, 'U0SEC0001']);
  });

  it('refuses bad requests with what to do instead, and changes nothing', async () => {
    const version = pg.channels.version;
    const now = pg.clock.now().getTime();
    const cases: [string, unknown, RegExp][] = [
      [
        'demo/alerts',
        { scenario: 'meteor' },
        /no scenario "meteor"; pick one of memory, crash-loop, storm, resolve/,
      ],
      ['demo/alerts', 'not json', /not a JSON object/],
      ['demo/clock', { time: '25:61' }, /not a time of day: write it as HH:MM/],
      ['demo/clock', { at: '2020-01-01T00:00:00Z' }, /only moves forward.*restart the demo to start over/],
      ['demo/clock', { at: 'yesterday' }, /not a date and time/],
      ['demo/click', { user: DANA }, /"messageTs" is missing/],
    ];
    for (const [path, body, why] of cases) {
      const answer = await post(path, body);
      assert.equal(answer.status, 400, path);
      assert.match(String(answer.body.error), why);
      assert.match(String(answer.body.error), /nothing changed$/);
    }
    const click = await post('demo/click', {
      user: 'U0NOBODY1',
      messageTs: '1.1',
      actionId: 'belay.approve',
    });
    assert.deepEqual(click.body, { ok: false, error: 'unknown user U0NOBODY1' });
    assert.equal(pg.channels.version, version, 'nothing was posted');
    assert.ok(pg.clock.now().getTime() - now < 60_000, 'the clock did not jump');
    assert.equal(pg.panel.log().length, 0, 'nothing was fired');
  });

  it('answers only the bot token on its Slack Web API', async () => {
    const response = await fetch(new URL('api/chat.postMessage', pg.url), {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-guess', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: INCIDENTS, text: 'hello' }),
    });
    assert.deepEqual(await response.json(), { ok: false, error: 'invalid_auth' });
    assert.equal(messages().length, 0);
  });

  it('at 02:17 the memory alert reaches Belay as Alertmanager sends it: the card says blocked, with no button', async () => {
    const fired = await post('demo/alerts', { scenario: 'memory' });
    assert.equal(fired.body.ok, true);
    const blocked = await eventually('the incident card', () => card(/PodMemoryHigh/));
    assert.match(
      blocked.text,
      /Blocked: restart pod databases\/postgres-0 — backup job postgres-backup-\d+ has been running since 02:00 UTC/,
    );
    assert.deepEqual(buttons(blocked), []);
    assert.ok(
      pg.prometheus.requests.some((r) => r.path === '/api/v1/query_range'),
      'memory read from Prometheus',
    );
  });

  it('at 14:00 the same alert asks the DBA: Sam is refused, only to Sam, and Dana’s approval evicts the pod', async () => {
    const moved = await post('demo/clock', { time: '14:00' });
    assert.match(String(moved.body.now), /T14:00:/);
    assert.match(JSON.stringify(pg.kube.store.list('jobs', 'databases').at(-1)?.status), /"succeeded":1/);
    await post('demo/alerts', { scenario: 'memory' });
    const asking = await eventually('the approval card', () => {
      const c = card(/PodMemoryHigh/);
      return c && buttons(c).includes('belay.approve') ? c : undefined;
    });
    assert.match(asking.text, /Needs approval.*production-critical/);
    const before = pg.kube.store.get('pods', 'databases', 'postgres-0').metadata.uid;

    assert.deepEqual(
      (await post('demo/click', { user: SAM, messageTs: asking.ts, actionId: 'belay.approve' })).body,
      { ok: true },
    );
    const refusal = await eventually('the refusal', () => messages().find((m) => m.ephemeralTo === SAM));
    assert.match(refusal.text, /can't approve this: only <@U0DBA0001> may approve/);
    assert.equal(evictions().length, 0);

    await post('demo/click', { user: DANA, messageTs: asking.ts, actionId: 'belay.approve' });
    const outcome = await eventually('the outcome in the thread', () =>
      messages().find(
        (m) => m.threadTs === asking.ts && /Approved and executed by <@U0DBA0001>/.test(m.text),
      ),
    );
    assert.match(outcome.text, /Evicted pod databases\/postgres-0; postgres-0 was recreated and is Ready/);
    assert.equal(evictions().length, 1);
    const after = pg.kube.store.get('pods', 'databases', 'postgres-0');
    assert.notEqual(after.metadata.uid, before, 'the StatefulSet brought postgres-0 back as a new pod');
    assert.deepEqual(
      buttons(pg.channels.find(INCIDENTS, asking.ts) as ChannelMessage),
      [],
      'the card lost its buttons',
    );
  });

  it('the crash loop rolls out a bad revision; approving the rollback brings the old ReplicaSet back', async () => {
    await post('demo/alerts', { scenario: 'crash-loop' });
    const crashing = pg.kube.store
      .list('pods', 'shop')
      .filter((p) => p.spec.containers[0].image === 'api:1.5.0');
    assert.equal(crashing.length, 2);
    assert.equal(crashing[0].status.containerStatuses[0].state.waiting.reason, 'CrashLoopBackOff');
    const proposal = await eventually('the rollback card', () => {
      const c = card(/KubePodCrashLooping/);
      return c && buttons(c).includes('belay.approve') ? c : undefined;
    });
    assert.match(proposal.text, /roll back Deployment shop\/api to its previous revision/);
    await post('demo/click', { user: SAM, messageTs: proposal.ts, actionId: 'belay.approve' });
    await eventually(
      'the rollback',
      () =>
        pg.kube.store.get('deployments', 'shop', 'api').spec.template.spec.containers[0].image ===
        'api:1.4.0',
    );
    const running = await eventually('healthy api pods', () => {
      const pods = pg.kube.store.list('pods', 'shop').filter((p) => p.metadata.labels.app === 'api');
      return pods.length === 2 && pods.every((p) => p.status.containerStatuses[0].ready) ? pods : undefined;
    });
    assert.ok(running.every((p) => p.spec.containers[0].image === 'api:1.4.0'));
    await eventually('the outcome', () =>
      messages().some((m) => m.threadTs === proposal.ts && /Approved and executed/.test(m.text)),
    );
  });

  it('/remediate reaches Belay as a signed slash command and its answer shows to the one who typed it', async () => {
    const sent = await post('demo/command', { user: 'U0SEC0001', text: 'help' });
    assert.deepEqual(sent.body, { ok: true });
    const help = await eventually('the help', () => messages().find((m) => m.ephemeralTo === 'U0SEC0001'));
    assert.match(JSON.stringify(help), /remediate/);
  });

  it('a storm of twelve workloads becomes one storm message, not twelve cards', async () => {
    const cards = messages().filter((m) => !m.threadTs).length;
    const fired = await post('demo/alerts', { scenario: 'storm' });
    assert.equal((fired.body.entry as { alerts: number }).alerts, 12);
    const storm = await eventually('the storm message', () =>
      messages().find((m) => /storm/i.test(m.text) && !m.threadTs),
    );
    assert.ok(storm);
    assert.ok(messages().filter((m) => !m.threadTs).length - cards < 12);
  });

  it('takes files as Slack’s external upload flow sends them (filesUploadV2) and serves them to the page', async () => {
    const client = new webApi.WebClient(pg.slackApi.botToken, {
      slackApiUrl: pg.slackApi.url,
      retryConfig: { retries: 0 },
    });
    const parent = messages().find((m) => !m.threadTs) as ChannelMessage;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await client.filesUploadV2({
      channel_id: INCIDENTS,
      thread_ts: parent.ts,
      file: png,
      filename: 'postgres-0-memory.png',
      title: 'postgres-0 memory, 6 h',
      initial_comment: 'Memory of postgres-0',
    });
    // Belay may have posted its own graph into the thread already: find this upload by its title.
    const shared = messages().find(
      (m) => m.threadTs === parent.ts && m.files?.some((f) => f.title === 'postgres-0 memory, 6 h'),
    );
    assert.equal(shared?.text, 'Memory of postgres-0');
    const file = shared?.files?.[0];
    assert.equal(file?.title, 'postgres-0 memory, 6 h');
    const served = await fetch(file?.url_private as string);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
    const refused = await client
      .apiCall('files.completeUploadExternal', { files: [{ id: 'F0NOPE' }], channel_id: INCIDENTS })
      .catch((e: { data?: unknown }) => e.data);
    assert.deepEqual(refused, { ok: false, error: 'file_not_found', response_metadata: {} });
  });
});
