// `belay mcp` as a local agent runs it: the SDK's own client spawns it as a child process over stdio, with a
// kubeconfig pointing at the fake Kubernetes API. Every read tool answers with the investigation's schemas,
// caps, truncation notes and redaction; explain_action gives the policy's verdict; nothing is written.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { systemClock } from '../../src/domain/index.ts';
import { createAuditLog } from '../../src/govern/store/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { deployment, statefulSet } from '../fakes/kube-api-builders.ts';
import { backupCronJob } from '../fakes/kube-api-jobs.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { type FakeLoki, startFakeLoki } from '../fakes/loki-server.ts';
import { type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import { BELAY, data, kubeconfig, policy, text } from './support.ts';

describe('belay mcp over stdio, spawned by the SDK client', () => {
  let kube: FakeKubeApi;
  let prometheus: FakePrometheus;
  let loki: FakeLoki;
  let dir: string;
  let storeDir: string;
  let config: string;
  const clients: Client[] = [];

  async function spawnClient(configPath: string): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BELAY, 'mcp', '--config', configPath],
        stderr: 'pipe',
        env: { PATH: process.env.PATH ?? '' },
      }),
    );
    clients.push(client);
    return client;
  }

  let agent: Client;
  before(async () => {
    kube = await FakeKubeApi.start({
      clock: systemClock,
      tokens: {
        reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
      },
    });
    kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      {
        kind: 'Namespace',
        metadata: { name: 'shop', annotations: { owner: 'team-shop', 'db-password': 'hunter2' } },
      },
      statefulSet('databases', 'postgres'),
      deployment('shop', 'web', { replicas: 2 }),
      backupCronJob('databases', 'postgres-backup'),
    );
    kube.seedPods('big', 60);
    dir = await mkdtemp(join(tmpdir(), 'belay-mcp-'));
    storeDir = join(dir, 'state');
    await writeFile(join(dir, 'kubeconfig.yaml'), kubeconfig(kube.url, 'reader'));
    config = join(dir, 'belay.yaml');
    prometheus = await startFakePrometheus();
    const now = Math.floor(Date.now() / 1000);
    prometheus.series.push({
      labels: { __name__: 'container_memory_working_set_bytes', namespace: 'databases', pod: 'postgres-0' },
      samples: [
        [now - 60, 6.2e9],
        [now - 30, 6.2e9],
      ],
    });
    loki = await startFakeLoki();
    loki.streams.push({
      labels: { namespace: 'databases', pod: 'postgres-0', container: 'postgres' },
      lines: [[BigInt(Date.now() - 60_000) * 1_000_000n, 'FATAL out of shared memory; DB_PASSWORD=s3cr3t']],
    });
    await writeFile(
      config,
      `${policy(storeDir, join(dir, 'kubeconfig.yaml'))}
prometheus: { url: ${JSON.stringify(prometheus.url)} }
loki: { url: ${JSON.stringify(loki.url)} }
`,
    );
    agent = await spawnClient(config);
  });
  after(async () => {
    for (const client of clients) await client.close();
    await kube?.close();
    await prometheus?.close();
    await loki?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('offers the read tools and explain_action, read-only; propose_action only where Slack is', async () => {
    const { tools } = await agent.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'cronjobs_list',
      'events_list',
      'explain_action',
      'logs_query',
      'metrics_query',
      'namespace_get',
      'pod_get',
      'pod_logs',
      'pods_list',
      'rollout_history',
      'workload_get',
    ]);
    for (const tool of tools) assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
    const logs = tools.find((t) => t.name === 'pod_logs');
    assert.deepEqual(logs?.inputSchema.required, ['namespace', 'pod']);
    assert.equal(
      (logs?.inputSchema.properties?.tailLines as { maximum?: number } | undefined)?.maximum,
      2_000,
    );
  });

  it('pods_list caps the list and says what it cut', async () => {
    const result = data(await agent.callTool({ name: 'pods_list', arguments: { namespace: 'big' } }));
    assert.equal((result.data.pods as unknown[]).length, 50);
    assert.equal(result.truncated, 'showing 50 of 60 pods (unhealthy first)');
  });

  it('pod_get, workload_get, rollout_history, events_list, cronjobs_list and namespace_get read the cluster', async () => {
    const pod = data(
      await agent.callTool({ name: 'pod_get', arguments: { namespace: 'databases', name: 'postgres-0' } }),
    );
    assert.equal(pod.data.name, 'postgres-0');
    const workload = data(
      await agent.callTool({
        name: 'workload_get',
        arguments: { namespace: 'shop', kind: 'Deployment', name: 'web' },
      }),
    );
    assert.equal(workload.data.name, 'web');
    const history = data(
      await agent.callTool({ name: 'rollout_history', arguments: { namespace: 'shop', name: 'web' } }),
    );
    assert.ok(Array.isArray(history.data.revisions));
    const events = data(await agent.callTool({ name: 'events_list', arguments: { namespace: 'shop' } }));
    assert.ok(Array.isArray(events.data.events));
    const crons = data(
      await agent.callTool({ name: 'cronjobs_list', arguments: { namespace: 'databases' } }),
    );
    assert.match(JSON.stringify(crons.data), /postgres-backup/);
    const ns = await agent.callTool({ name: 'namespace_get', arguments: { namespace: 'shop' } });
    assert.match(text(ns), /team-shop/);
    assert.doesNotMatch(text(ns), /hunter2/, 'a secret in an annotation is redacted');
    assert.deepEqual(kube.writes(), [], 'nothing was written to the cluster');
  });

  it('pod_logs redacts secrets, and a long log is cut to the investigation’s output budget with a note', async () => {
    kube.setLog('databases', 'postgres-0', 'postgres', 'starting\nconnecting with password=hunter2\nready\n');
    const small = await agent.callTool({
      name: 'pod_logs',
      arguments: { namespace: 'databases', pod: 'postgres-0' },
    });
    assert.match(text(small), /password=\[REDACTED:pair\]/);
    assert.doesNotMatch(text(small), /hunter2/);
    kube.setLog('databases', 'postgres-0', 'postgres', `${'x'.repeat(100)}\n`.repeat(1_000));
    const big = text(
      await agent.callTool({ name: 'pod_logs', arguments: { namespace: 'databases', pod: 'postgres-0' } }),
    );
    assert.match(
      big,
      /\[cut by Belay: showing the first 6000 of \d+ characters of pod_logs; ask with a narrower query for the rest\]$/,
    );
  });

  it('metrics_query reads Prometheus, and logs_query reads Loki held to the namespace, redacted', async () => {
    const metrics = await agent.callTool({
      name: 'metrics_query',
      arguments: { query: 'container_memory_working_set_bytes{namespace="databases"}' },
    });
    assert.notEqual(metrics.isError, true, text(metrics));
    assert.match(text(metrics), /postgres-0/);
    assert.match(text(metrics), /6200000000|6\.2e\+?9|6\.2 ?G/);
    assert.ok(prometheus.requests.length > 0, 'Prometheus was asked');
    const logs = await agent.callTool({
      name: 'logs_query',
      arguments: { namespace: 'databases', query: '{pod="postgres-0"} |= "FATAL"' },
    });
    assert.match(text(logs), /FATAL out of shared memory/);
    assert.doesNotMatch(text(logs), /s3cr3t/);
    assert.match(loki.requests.at(-1)?.params.query ?? '', /namespace="databases"/);
  });

  it('a cluster Belay has no credentials for is refused as data, naming it', async () => {
    const result = await agent.callTool({
      name: 'namespace_get',
      arguments: { namespace: 'shop', cluster: 'prod' },
    });
    assert.match(text(result), /prod/);
  });

  it('explain_action: the restart of postgres-0 is blocked by the running backup window', async () => {
    const result = await agent.callTool({
      name: 'explain_action',
      arguments: { action: 'restart-pod', target: 'databases/postgres-0' },
    });
    assert.notEqual(result.isError, true, text(result));
    assert.match(
      text(result),
      /^Blocked: restart pod homelab:databases\/postgres-0 — Inside backup window postgres-nightly-backup/,
    );
    assert.match(text(result), /\[blocked\] window:postgres-nightly-backup/);
  });

  it('malformed arguments are refused with a clear error', async () => {
    const result = await agent.callTool({ name: 'pod_logs', arguments: { namespace: 'databases' } });
    assert.equal(result.isError, true);
    assert.match(text(result), /Input validation error: Invalid arguments for tool pod_logs/);
    const unknown = await agent.callTool({
      name: 'explain_action',
      arguments: { action: 'restart pod', target: 'x/y' },
    });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /is not an action name/);
  });

  it('every call is audited under the client, apart from the bot’s own trail', async () => {
    const audit = await createAuditLog({
      dir: join(storeDir, 'audit-mcp', 'agent-local'),
      clock: systemClock,
    });
    const calls = (await audit.read()).filter((e) => e.type === 'mcp.call');
    assert.ok(calls.length >= 10, `${calls.length} calls audited`);
    assert.ok(calls.every((e) => e.actor.id === 'mcp:agent-local'));
    assert.ok(calls.some((e) => e.data.tool === 'explain_action'));
  });

  it('a flood is cut at the configured limit', async () => {
    const limited = join(dir, 'limited.yaml');
    await writeFile(
      limited,
      policy(join(dir, 'state-2'), join(dir, 'kubeconfig.yaml'), '  limits: { callsPerMinute: 3 }'),
    );
    const flood = await spawnClient(limited);
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await flood.callTool({ name: 'namespace_get', arguments: { namespace: 'shop' } }));
    assert.deepEqual(
      results.map((r) => r.isError === true),
      [false, false, false, true, true],
    );
    assert.match(text(results[4]), /^Too many calls: agent-local may make 3 tool calls a minute/);
  });
});

describe('belay mcp refuses to start without what it needs', () => {
  it('a config without an mcp section says what to add', async () => {
    const { runCli } = await import('../../src/cli/index.ts');
    const dir = await mkdtemp(join(tmpdir(), 'belay-mcp-'));
    try {
      const path = join(dir, 'belay.yaml');
      await writeFile(
        path,
        policy(join(dir, 'state'), join(dir, 'kubeconfig.yaml')).replace(/mcp:[\s\S]*$/, ''),
      );
      const err: string[] = [];
      const { readFile } = await import('node:fs/promises');
      const code = await runCli(['mcp', '--config', path], {
        stdout: () => {},
        stderr: (line) => err.push(line),
        readFile: (p) => readFile(p, 'utf8'),
        env: {},
      });
      assert.equal(code, 1, err.join('\n'));
      assert.match(err.join('\n'), /has no mcp section naming the clients it serves; add one/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
