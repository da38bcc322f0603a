// `belay mcp --http` as a shared read-only endpoint: a child process serving Streamable HTTP on 127.0.0.1,
// each client known by its bearer token. It reads and explains; it cannot propose (no Slack, no store).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { systemClock } from '../../src/domain/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { statefulSet } from '../fakes/kube-api-builders.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { BELAY, kubeconfig, policy, text } from './support.ts';

const TOKEN = 'standalone-token-1';

describe('belay mcp --http, standalone', () => {
  let kube: FakeKubeApi;
  let dir: string;
  let child: ChildProcess;
  let url: URL;
  const clients: Client[] = [];

  before(async () => {
    kube = await FakeKubeApi.start({
      clock: systemClock,
      tokens: {
        reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
      },
    });
    kube.seed({ kind: 'Namespace', metadata: { name: 'databases' } }, statefulSet('databases', 'postgres'));
    dir = await mkdtemp(join(tmpdir(), 'belay-mcp-http-'));
    await writeFile(join(dir, 'kubeconfig.yaml'), kubeconfig(kube.url, 'reader'));
    const config = join(dir, 'belay.yaml');
    await writeFile(
      config,
      policy(join(dir, 'state'), join(dir, 'kubeconfig.yaml')).replace(
        '    - name: agent-local\n',
        '    - name: agent-local\n      tokenEnv: AGENT_LOCAL_TOKEN\n',
      ),
    );
    child = spawn(process.execPath, [BELAY, 'mcp', '--config', config, '--http', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', AGENT_LOCAL_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const port = await new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`belay mcp exited ${code}: ${stderr}`)));
    });
    url = new URL(`http://127.0.0.1:${port}/mcp`);
  });
  after(async () => {
    for (const client of clients) await client.close();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await kube?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  it('serves the read tools and explain_action, and no propose_action', async () => {
    const agent = await connect(TOKEN);
    const names = (await agent.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('pods_list') && names.includes('explain_action'));
    assert.ok(!names.includes('propose_action') && !names.includes('list_incidents'));
    const explained = await agent.callTool({
      name: 'explain_action',
      arguments: { action: 'restart-pod', target: 'databases/postgres-0' },
    });
    assert.match(text(explained), /Inside backup window postgres-nightly-backup/);
  });

  it('refuses a wrong token with 401 and a clear message', async () => {
    await assert.rejects(connect('wrong-token'), /401|Unauthorized/);
    const raw = await fetch(url, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong-token', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(raw.status, 401);
    assert.match(
      await raw.text(),
      /Unauthorized: send the bearer token of a client named in the mcp section/,
    );
  });

  it('a body that is not JSON gets a parse error, not a crash', async () => {
    const raw = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(raw.status, 400);
    assert.match(await raw.text(), /The body is not JSON/);
    assert.equal(child.exitCode, null, 'still serving');
  });
});
