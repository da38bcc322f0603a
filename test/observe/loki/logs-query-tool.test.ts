import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { redact } from '../../../src/domain/index.ts';
import { createLokiClient, logsQuery } from '../../../src/observe/loki/index.ts';
import type { ReadTool } from '../../../src/observe/read-tool.ts';
import { fakeClock } from '../../fakes/fake-clock.ts';
import { type FakeLoki, startFakeLoki } from '../../fakes/loki-server.ts';

const NOW_MS = Date.parse('2026-03-14T02:17:00Z');
const ns = (msAgo: number) => BigInt(NOW_MS - msAgo) * 1_000_000n;

interface Answer {
  query: string;
  linesReturned: number;
  streams: { labels: Record<string, string>; lines: [string, string][] }[];
  error?: string;
}

describe('logs_query', () => {
  let loki: FakeLoki;
  let tool: ReadTool;
  const run = async (input: Record<string, unknown>, cluster = 'default') => {
    const r = await tool.run(tool.input.parse({ namespace: 'shop', ...input }), { cluster });
    return { data: r.data as Answer, truncated: r.truncated };
  };
  const build = (over: { tenant?: string; timeoutMs?: number; maxLines?: number; maxBytes?: number } = {}) =>
    logsQuery({
      client: createLokiClient({
        url: loki.url,
        timeoutMs: over.timeoutMs ?? 2_000,
        tenant: over.tenant ?? 'team-a',
        bearerToken: 'loki-token',
      }),
      clock: fakeClock('2026-03-14T02:17:00Z'),
      cluster: 'default',
      namespaceLabel: 'namespace',
      redact,
      limits: { maxLines: over.maxLines ?? 200, ...(over.maxBytes ? { maxBytes: over.maxBytes } : {}) },
    });

  beforeEach(async () => {
    loki = await startFakeLoki({ multiTenant: true });
    // The pod that was restarted: 1,340 lines over the last 45 minutes, the last one its dying words.
    const lines: [bigint, string][] = [];
    for (let n = 0; n < 1_340; n++) lines.push([ns((1_340 - n) * 2_000), `GET /cart 200 request ${n}`]);
    lines.push([ns(500), 'FATAL cannot connect to db: password=hunter2 rejected']);
    loki.streams.push(
      { tenant: 'team-a', labels: { namespace: 'shop', pod: 'web-7f9c-old', container: 'app' }, lines },
      {
        tenant: 'team-a',
        labels: { namespace: 'payments', pod: 'ledger-0', container: 'app' },
        lines: [[ns(1_000), 'payments secret business']],
      },
      {
        tenant: 'team-b',
        labels: { namespace: 'shop', pod: 'web-other-tenant', container: 'app' },
        lines: [[ns(1_000), 'not ours']],
      },
    );
    tool = build();
  });
  afterEach(() => loki.close());

  it("reads a dead pod's lines over query_range, held to the namespace, redacted, with the tenant and token", async () => {
    const { data } = await run({ query: '{pod="web-7f9c-old"} |= "FATAL"', since: '1h' });
    assert.equal(data.query, '{namespace="shop", pod="web-7f9c-old"} |= "FATAL"');
    assert.equal(data.streams.length, 1);
    const [line] = data.streams[0]?.lines ?? [];
    assert.equal(line?.[0], '2026-03-14T02:16:59.500Z');
    assert.match(line?.[1] ?? '', /^FATAL cannot connect to db: password=\[REDACTED:\w+\] rejected$/);
    assert.equal(data.streams[0]?.lines.length, 1);
    const sent = loki.requests[0];
    assert.equal(sent?.path, '/loki/api/v1/query_range');
    assert.equal(sent?.tenant, 'team-a');
    assert.equal(sent?.authorization, 'Bearer loki-token');
    assert.equal(sent?.params.direction, 'backward');
    assert.equal(sent?.params.end, `${BigInt(NOW_MS) * 1_000_000n}`);
    assert.equal(sent?.params.start, `${BigInt(NOW_MS - 3_600_000) * 1_000_000n}`);
  });

  it('shows at most maxLines, the newest first, and says how many there were', async () => {
    const { data, truncated } = await run({ query: '{pod=~".+"} |= "" ', since: '2h' });
    const lines = data.streams.flatMap((s) => s.lines);
    assert.equal(lines.length, 200);
    assert.match(lines[0]?.[1] ?? '', /^FATAL/);
    assert.equal(data.linesReturned, 1_341);
    assert.equal(
      truncated,
      'showing 200 of 1,341 lines (the newest first); narrow the query or the range for older ones',
    );
    assert.ok(data.streams.every((s) => s.labels.namespace === 'shop'));
  });

  it('cuts by bytes too, and says so', async () => {
    tool = build({ maxBytes: 1_024 });
    const { data, truncated } = await run({ query: '{pod="web-7f9c-old"}' });
    const text = data.streams.flatMap((s) => s.lines.map((l) => l[1])).join('');
    assert.ok(Buffer.byteLength(text) <= 1_100, `${Buffer.byteLength(text)} bytes`);
    assert.match(truncated ?? '', /^showing \d+ of 1,341 lines \(the newest first, cut at 1,024 bytes\)/);
  });

  it('refuses queries that try to read another namespace, and sends nothing', async () => {
    for (const query of [
      '{namespace="payments"}',
      '{namespace=~"shop|payments"}',
      '{namespace!="shop"}',
      '{app="web"} or {namespace="payments"}',
    ]) {
      const { data } = await run({ query });
      assert.match(data.error ?? '', /^logs_query refused: /, query);
    }
    assert.equal(loki.requests.length, 0);
  });

  it('bounds the time span', async () => {
    assert.equal(
      tool.input.safeParse({ namespace: 'shop', query: '{app="x"}', since: '48h' }).success,
      false,
    );
    assert.equal(tool.input.safeParse({ namespace: 'shop', query: '{app="x"}', since: '0s' }).success, false);
  });

  it("passes on Loki's parse error so the query can be fixed", async () => {
    const { data } = await run({ query: '{app="web"} | json | unknown_stage' });
    assert.match(
      data.error ?? '',
      /Loki refused the query \(400\): parse error at line 1, col \d+: syntax error/,
    );
  });

  it('says what a 429, a timeout, a missing tenant and another cluster mean', async () => {
    loki.script.push({ status: 429, body: 'too many outstanding requests' });
    const limited = await run({ query: '{app="web"}' });
    assert.match(
      limited.data.error ?? '',
      /Loki is limiting queries \(429: too many outstanding requests\); wait a minute/,
    );

    tool = build({ timeoutMs: 200 });
    loki.script.push('hang');
    const slow = await run({ query: '{app="web"}' });
    assert.match(slow.data.error ?? '', /did not answer within 200 ms; use a shorter range/);

    tool = logsQuery({
      client: createLokiClient({ url: loki.url, timeoutMs: 2_000 }),
      clock: fakeClock('2026-03-14T02:17:00Z'),
      cluster: 'default',
      namespaceLabel: 'namespace',
      redact,
    });
    const noTenant = await run({ query: '{app="web"}' });
    assert.match(noTenant.data.error ?? '', /needs a tenant \(401: no org id\); set loki.tenant/);

    const elsewhere = await run({ query: '{app="web"}' }, 'edge');
    assert.match(elsewhere.data.error ?? '', /holds logs of cluster "default", not "edge"/);
  });

  it('refuses metric queries with a pointer to metrics_query', async () => {
    loki.script.push({
      status: 200,
      body: { status: 'success', data: { resultType: 'matrix', result: [] } },
    });
    const { data } = await run({ query: 'rate({app="web"}[5m])' });
    assert.match(data.error ?? '', /not log lines.*use metrics_query/);
  });
});
