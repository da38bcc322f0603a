import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { signPagerDutyBody } from '../../../src/observe/intake/index.ts';
import { AM_TOKEN, fixture, type Harness, PD_SECRETS, startHarness } from './intake-harness.ts';

const bearer = { authorization: `Bearer ${AM_TOKEN}` };
const amFixture = fixture('alertmanager-webhook-v4.json');
const pdTriggered = JSON.stringify(JSON.parse(fixture('pagerduty-incident-triggered.json')));
const pdNoId = pdWith((e) => {
  delete (e.data as { id?: string }).id;
});
const pdNoTime = pdWith((e) => {
  delete (e as { occurred_at?: string }).occurred_at;
});

function pdWith(
  change: (event: Record<string, unknown> & { data: Record<string, unknown> }) => void,
): string {
  const body = JSON.parse(pdTriggered);
  change(body.event);
  return JSON.stringify(body);
}

function amWith(
  change: (body: Record<string, unknown> & { alerts: Record<string, unknown>[] }) => void,
): string {
  const body = JSON.parse(amFixture);
  change(body);
  return JSON.stringify(body);
}

describe('intake server: what it accepts', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers health and readiness', async () => {
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
  });

  it('accepts an Alertmanager payload, then hands its alerts to the callback', async () => {
    const response = await h.post('/webhooks/alertmanager', amFixture, bearer);
    assert.equal(response.status, 200);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, 1);
    const [firing, resolved] = h.delivered[0] ?? [];
    assert.equal(firing?.fingerprint, '5e1f4c2a9b0d7e31');
    assert.equal(firing?.startsAt, '2025-01-01T10:00:00.123Z');
    assert.equal(firing?.endsAt, undefined, "a firing alert's endsAt is only an expiry");
    assert.equal(resolved?.endsAt, '2025-01-01T08:58:00.000Z');
    assert.equal(h.store.incidents.size, 1);
  });

  it('accepts either credential while both are configured (a switch from basic to bearer)', async () => {
    const both = await startHarness({
      alertmanager: {
        auth: [
          { type: 'bearer', token: 'new-token' },
          { type: 'basic', username: 'am', password: 'old-pw' },
        ],
      },
    });
    try {
      const basic = `Basic ${Buffer.from('am:old-pw').toString('base64')}`;
      assert.equal(
        (await both.post('/webhooks/alertmanager', amFixture, { authorization: basic })).status,
        200,
      );
      assert.equal(
        (await both.post('/webhooks/alertmanager', amFixture, { authorization: 'Bearer new-token' })).status,
        200,
      );
      assert.equal(
        (await both.post('/webhooks/alertmanager', amFixture, { authorization: 'Bearer old-pw' })).status,
        401,
      );
    } finally {
      await both.close();
    }
  });

  it('accepts basic auth when configured so', async () => {
    const basic = await startHarness({
      alertmanager: { auth: { type: 'basic', username: 'am', password: 'pw:with:colons' } },
    });
    try {
      const good = `Basic ${Buffer.from('am:pw:with:colons').toString('base64')}`;
      const bad = `Basic ${Buffer.from('am:pw').toString('base64')}`;
      assert.equal(
        (await basic.post('/webhooks/alertmanager', amFixture, { authorization: good })).status,
        200,
      );
      assert.equal(
        (await basic.post('/webhooks/alertmanager', amFixture, { authorization: bad })).status,
        401,
      );
    } finally {
      await basic.close();
    }
  });

  it('accepts a PagerDuty event signed with either secret of a rotation, once', async () => {
    const signature = `v1=${'0'.repeat(64)}, ${signPagerDutyBody(pdTriggered, PD_SECRETS[1] as string)}`;
    const headers = { 'x-pagerduty-signature': signature, 'x-webhook-id': 'delivery-1' };
    assert.equal((await h.post('/webhooks/pagerduty', pdTriggered, headers)).status, 202);
    const replay = await h.post('/webhooks/pagerduty', pdTriggered, headers);
    assert.equal(replay.status, 200);
    assert.match(replay.body, /duplicate/);
    await h.intake.queue.idle();
    const pd = h.delivered.flat().filter((a) => a.source === 'pagerduty');
    assert.equal(pd.length, 1, 'the replay was not processed');
    assert.equal(pd[0]?.fingerprint, 'Q1XYZ7ABCDE');
  });

  it('acknowledges a ping without processing it', async () => {
    const ping = fixture('pagerduty-ping.json');
    const before = h.delivered.length;
    const response = await h.post('/webhooks/pagerduty', ping, {
      'x-pagerduty-signature': signPagerDutyBody(ping, PD_SECRETS[0] as string),
    });
    assert.equal(response.status, 202);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, before);
  });
});

describe('intake server: the bad-input corpus changes nothing', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const pdSigned = (body: string) => ({
    'x-pagerduty-signature': signPagerDutyBody(body, PD_SECRETS[0] as string),
    'x-webhook-id': `id-${Math.random()}`,
  });
  const huge = 'x'.repeat(20_000);
  const cases: {
    name: string;
    path: string;
    body: string;
    headers: Record<string, string>;
    status: number;
    field?: RegExp;
  }[] = [
    { name: 'no credentials', path: '/webhooks/alertmanager', body: amFixture, headers: {}, status: 401 },
    {
      name: 'wrong bearer token',
      path: '/webhooks/alertmanager',
      body: amFixture,
      headers: { authorization: 'Bearer nope' },
      status: 401,
    },
    {
      name: 'token with the wrong scheme',
      path: '/webhooks/alertmanager',
      body: amFixture,
      headers: { authorization: `Basic ${AM_TOKEN}` },
      status: 401,
    },
    {
      name: 'truncated JSON',
      path: '/webhooks/alertmanager',
      body: amFixture.slice(0, 200),
      headers: bearer,
      status: 400,
      field: /JSON/,
    },
    { name: 'empty body', path: '/webhooks/alertmanager', body: '', headers: bearer, status: 400 },
    {
      name: 'JSON that is not an object',
      path: '/webhooks/alertmanager',
      body: '[1,2]',
      headers: bearer,
      status: 400,
    },
    {
      name: 'wrong version',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        b.version = '3';
      }),
      headers: bearer,
      status: 400,
      field: /version/,
    },
    {
      name: 'a custom payload template',
      path: '/webhooks/alertmanager',
      body: '{"text":"hello"}',
      headers: bearer,
      status: 400,
      field: /version/,
    },
    {
      name: 'labels of the wrong type',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        (b.alerts[1] as { labels: unknown }).labels = { pod: 5 };
      }),
      headers: bearer,
      status: 400,
      field: /alerts\[1\]\.labels\.pod/,
    },
    {
      name: 'missing fingerprint',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        delete b.alerts[0]?.fingerprint;
      }),
      headers: bearer,
      status: 400,
      field: /alerts\[0\]\.fingerprint/,
    },
    {
      name: 'missing alerts',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        delete (b as { alerts?: unknown }).alerts;
      }),
      headers: bearer,
      status: 400,
      field: /alerts/,
    },
    {
      name: 'an impossible date',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        (b.alerts[0] as { startsAt: string }).startsAt = 'yesterday';
      }),
      headers: bearer,
      status: 400,
      field: /alerts\[0\]\.startsAt/,
    },
    {
      name: 'a huge label value',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        (b.alerts[0] as { labels: Record<string, string> }).labels.pod = huge;
      }),
      headers: bearer,
      status: 400,
      field: /alerts\[0\]\.labels\.pod/,
    },
    {
      name: 'a status that does not exist',
      path: '/webhooks/alertmanager',
      body: amWith((b) => {
        (b.alerts[0] as { status: string }).status = 'burning';
      }),
      headers: bearer,
      status: 400,
      field: /alerts\[0\]\.status/,
    },
    {
      name: 'PagerDuty without a signature',
      path: '/webhooks/pagerduty',
      body: pdTriggered,
      headers: {},
      status: 401,
    },
    {
      name: 'PagerDuty signed with another secret',
      path: '/webhooks/pagerduty',
      body: pdTriggered,
      headers: { 'x-pagerduty-signature': signPagerDutyBody(pdTriggered, 'attacker') },
      status: 401,
    },
    {
      name: 'PagerDuty with a signature of another body',
      path: '/webhooks/pagerduty',
      body: pdWith((e) => {
        e.event_type = 'incident.resolved';
      }),
      headers: { 'x-pagerduty-signature': signPagerDutyBody(pdTriggered, PD_SECRETS[0] as string) },
      status: 401,
    },
    {
      name: 'PagerDuty with a malformed signature',
      path: '/webhooks/pagerduty',
      body: pdTriggered,
      headers: { 'x-pagerduty-signature': 'v1=zz, v0=abc' },
      status: 401,
    },
    {
      name: 'PagerDuty truncated JSON, signed',
      path: '/webhooks/pagerduty',
      body: pdTriggered.slice(0, 100),
      headers: pdSigned(pdTriggered.slice(0, 100)),
      status: 400,
      field: /JSON/,
    },
    {
      name: 'PagerDuty incident without an id, signed',
      path: '/webhooks/pagerduty',
      body: pdNoId,
      headers: pdSigned(pdNoId),
      status: 400,
      field: /event\.data\.id/,
    },
    {
      name: 'PagerDuty event without occurred_at, signed',
      path: '/webhooks/pagerduty',
      body: pdNoTime,
      headers: pdSigned(pdNoTime),
      status: 400,
      field: /event\.occurred_at/,
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const response = await h.post(c.path, c.body, c.headers);
      assert.equal(response.status, c.status, response.body);
      if (c.field) assert.match(JSON.parse(response.body).error, c.field);
      await h.intake.queue.idle();
      assert.equal(h.delivered.length, 0);
      assert.equal(h.store.incidents.size, 0);
      assert.equal(h.store.deliveries.size, 0);
    });
  }

  it('logs every refusal with its reason, for the operator', () => {
    const warnings = h.logger.entries.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, cases.length);
    assert.ok(
      warnings.some((w) => /alerts\[0\]\.fingerprint/.test(String((w.obj as { error?: string }).error))),
    );
  });

  it('unicode everywhere is data, not a problem', async () => {
    const body = amWith((b) => {
      b.alerts = [b.alerts[0] as Record<string, unknown>];
      (b.alerts[0] as { labels: Record<string, string> }).labels.summary = 'Über 💥 \u202e ‮ 中文';
      (b.alerts[0] as { labels: Record<string, string> }).labels.namespace = 'Ünïcode';
    });
    assert.equal((await h.post('/webhooks/alertmanager', body, bearer)).status, 200);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, 1);
    assert.equal(h.store.incidents.size, 0, 'a namespace that cannot exist opens no incident');
    h.delivered.length = 0;
  });

  it('a replayed PagerDuty delivery is stored once', async () => {
    const headers = { ...pdSigned(pdTriggered), 'x-webhook-id': 'replayed' };
    assert.equal((await h.post('/webhooks/pagerduty', pdTriggered, headers)).status, 202);
    assert.equal((await h.post('/webhooks/pagerduty', pdTriggered, headers)).status, 200);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, 1);
    assert.equal(h.store.deliveries.size, 1);
    h.delivered.length = 0;
  });

  it('a body over 1 MiB → 413 without reading it all', async () => {
    const big = Buffer.alloc(3 * 1_048_576, 'a');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.url}/webhooks/alertmanager`,
        { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Chunked, no content-length: the server must count and stop on its own.
      req.write(big.subarray(0, 1_048_576));
      req.write(big.subarray(1_048_576, 2_097_152));
      req.end(big.subarray(2_097_152));
    });
    assert.equal(status, 413);
    const declared = await h.post('/webhooks/pagerduty', Buffer.alloc(1_048_577, 'a'), {});
    assert.equal(declared.status, 413);
    await h.intake.queue.idle();
    assert.equal(h.delivered.length, 0);
  });

  it('other methods and paths are refused', async () => {
    assert.equal((await fetch(`${h.url}/webhooks/alertmanager`)).status, 405);
    assert.equal((await fetch(`${h.url}/nope`)).status, 404);
  });
});

describe('intake server: back-pressure', () => {
  it('answers 503 when the queue is full, so Alertmanager retries', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await startHarness({ queueCapacity: 2, onAlerts: () => gate });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await h.post('/webhooks/alertmanager', amFixture, bearer)).status);
      assert.deepEqual(statuses, [200, 200, 503, 503]);
      const ready = await fetch(`${h.url}/readyz`);
      assert.equal(ready.status, 503);
      const { problems } = (await ready.json()) as { problems: { check: string; detail: string }[] };
      assert.deepEqual(
        problems.map((p) => p.check),
        ['intake'],
      );
      assert.match(problems[0]?.detail ?? '', /intake backlog full \(2 of 2 deliveries waiting/);
      const signed = {
        'x-pagerduty-signature': signPagerDutyBody(pdTriggered, PD_SECRETS[0] as string),
        'x-webhook-id': 'later',
      };
      assert.equal((await h.post('/webhooks/pagerduty', pdTriggered, signed)).status, 503);
      assert.equal(
        h.store.deliveries.size,
        0,
        'a refused delivery is not marked, so its retry is not taken for a replay',
      );
      release();
      await h.intake.queue.idle();
      assert.equal((await h.post('/webhooks/pagerduty', pdTriggered, signed)).status, 202);
    } finally {
      release();
      await h.close();
    }
  });

  it('/readyz fails naming the intake while the oldest delivery waits past its bound, then recovers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await startHarness({ maxBacklogAgeMs: 100, onAlerts: () => gate });
    try {
      assert.equal((await h.post('/webhooks/alertmanager', amFixture, bearer)).status, 200);
      let ready = await fetch(`${h.url}/readyz`);
      for (let i = 0; ready.status === 200 && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        ready = await fetch(`${h.url}/readyz`);
      }
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { status: string; problems: { check: string; detail: string }[] };
      assert.equal(body.status, 'unready');
      assert.equal(body.problems[0]?.check, 'intake');
      assert.match(body.problems[0]?.detail ?? '', /intake backlog too old \(1 of 1000 deliveries waiting/);
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200, 'a slow backlog is no reason to restart');
      release();
      await h.intake.queue.idle();
      assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
    } finally {
      release();
      await h.close();
    }
  });

  it('a store in write-failed mode fails /healthz and /readyz, naming the store', async () => {
    const h = await startHarness({ unavailable: () => 'Could not write the state file: ENOSPC.' });
    try {
      for (const path of ['/healthz', '/readyz']) {
        const response = await fetch(`${h.url}${path}`);
        assert.equal(response.status, 503, path);
        const { problems } = (await response.json()) as { problems: { check: string; detail: string }[] };
        assert.equal(problems[0]?.check, 'store');
        assert.match(problems[0]?.detail ?? '', /ENOSPC.*restart Belay/);
      }
    } finally {
      await h.close();
    }
  });

  it('a failing callback is logged and the server keeps serving', async () => {
    const h = await startHarness({ onAlerts: () => Promise.reject(new Error('store is down')) });
    try {
      assert.equal((await h.post('/webhooks/alertmanager', amFixture, bearer)).status, 200);
      await h.intake.queue.idle();
      assert.equal(h.logger.entries[0]?.level, 'error');
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    } finally {
      await h.close();
    }
  });
});
