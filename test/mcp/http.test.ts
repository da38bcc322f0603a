// An agent reaches the running bot's MCP endpoint over Streamable HTTP with the SDK's own client: it asks
// what the policy would say at 02:17, proposes a restart that a human approves in Slack, and is refused
// (clearly, changing nothing) when the policy forbids, its token is wrong, its arguments are malformed, or
// it floods. Belay runs through its real composition root, against the fake Kubernetes API and fake Slack.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createAuditLog } from '../../src/govern/store/index.ts';
import { buttonValue, click, eventually, everythingSaid, startWorld, type World } from '../e2e/support.ts';
import { statefulSet } from '../fakes/kube-api-builders.ts';

const NIGHT = new Date('2026-03-14T02:17:00Z');
const TOKENS = {
  MCP_ALICE: 'alice-secret-token-1',
  MCP_BOB: 'bob-secret-token-2',
  MCP_FLOOD: 'flood-token-3',
};
const EXTRA = `
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
mcp:
  clients:
    - { name: agent-alice, tokenEnv: MCP_ALICE }
    - { name: agent-bob, tokenEnv: MCP_BOB }
    - { name: agent-flood, tokenEnv: MCP_FLOOD }
  http: { enabled: true }
  limits: { callsPerMinute: 20, proposalsPerHour: 2 }
`;

const text = (result: unknown): string =>
  ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('belay mcp over Streamable HTTP, in the running bot', () => {
  let world: World;
  let url: URL;
  const clients: Client[] = [];

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  const auditTrail = async () =>
    (await createAuditLog({ dir: join(world.storeDir, 'audit'), clock: world.clock })).read();
  const slackPosts = () => world.slack.calls.filter((c) => c.method === 'chat.postMessage');

  let alice: Client;
  before(async () => {
    world = await startWorld(EXTRA, '', NIGHT, { environment: TOKENS });
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
      statefulSet('staging', 'cache'),
    );
    assert.ok(world.belay.mcpPort, 'the endpoint is served when mcp.http.enabled');
    url = new URL(`http://127.0.0.1:${world.belay.mcpPort}/mcp`);
    alice = await connect(TOKENS.MCP_ALICE);
  });
  after(async () => {
    for (const client of clients) await client.close();
    await world?.close();
  });

  it('lists the read tools, explain, incidents and propose, with their schemas and annotations', async () => {
    const { tools } = await alice.listTools();
    const names = tools.map((t) => t.name);
    for (const name of [
      'pods_list',
      'pod_get',
      'events_list',
      'pod_logs',
      'workload_get',
      'rollout_history',
      'cronjobs_list',
      'namespace_get',
      'explain_action',
      'list_incidents',
      'get_incident',
      'propose_action',
    ])
      assert.ok(names.includes(name), `${name} is offered (got ${names.join(', ')})`);
    for (const tool of tools.filter((t) => t.name !== 'propose_action'))
      assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is declared read-only`);
    const propose = tools.find((t) => t.name === 'propose_action');
    assert.equal(propose?.annotations?.readOnlyHint, false);
    assert.equal(propose?.annotations?.destructiveHint, false, 'proposing changes nothing in the cluster');
    assert.deepEqual(propose?.inputSchema.required, ['action', 'target']);
    const pods = tools.find((t) => t.name === 'pods_list');
    assert.deepEqual(Object.keys(pods?.inputSchema.properties ?? {}).sort(), [
      'cluster',
      'labelSelector',
      'namespace',
    ]);
    assert.deepEqual(pods?.inputSchema.required, ['namespace']);
  });

  it('explain_action at 02:17: the restart of postgres-0 is blocked by the backup window, with every reason', async () => {
    const before = slackPosts().length;
    const result = await alice.callTool({
      name: 'explain_action',
      arguments: { action: 'restart-pod', target: 'databases/postgres-0' },
    });
    assert.notEqual(result.isError, true, text(result));
    assert.match(
      text(result),
      /^Blocked: restart pod databases\/postgres-0 — Inside backup window postgres-nightly-backup/,
    );
    assert.match(text(result), /\[blocked\] window:postgres-nightly-backup: .*until 2026-03-14T02:45:00/);
    const verdict = JSON.parse(((result as CallToolResult).content[1] as { text: string }).text);
    assert.equal(verdict.disposition, 'blocked');
    assert.equal(verdict.namespaceClass, 'production-critical');
    assert.equal(slackPosts().length, before, 'explaining posts nothing');
  });

  it('propose_action: the card reaches Slack; an approver’s click runs it through the gate; the audit names the agent', async () => {
    const result = await alice.callTool({
      name: 'propose_action',
      arguments: { action: 'restart-pod', target: 'staging/cache-0', reason: 'cache-0 is stuck <!channel>' },
    });
    assert.notEqual(result.isError, true, text(result));
    const answer = JSON.parse(text(result)) as {
      proposalId: string;
      link?: string;
      state: string;
      message: string;
    };
    assert.equal(answer.state, 'proposed');
    assert.match(answer.message, /nothing runs before that/);
    const id = await eventually('the Approve button', () => buttonValue(world, 'belay.approve', /cache-0/));
    assert.equal(id, answer.proposalId);
    assert.match(answer.link ?? '', /^https:\/\/slack\.com\/archives\/C0INCIDENT1\/p\d+$/);
    assert.match(
      everythingSaid(world),
      /Requested by MCP client agent-alice \(cache-0 is stuck &lt;!channel&gt;\)/,
    );
    assert.match(everythingSaid(world), /Action requested by mcp:agent-alice; a human decides/);
    assert.doesNotMatch(
      everythingSaid(world),
      /<@mcp:/,
      'an agent is named, never mentioned as a Slack user',
    );
    const evictions = () => world.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun);
    assert.equal(evictions().length, 0, 'proposing runs nothing');

    await click(world, 'belay.approve', id, 'U0SRE0001').send();
    await eventually('the eviction', () => evictions().length === 1);

    const trail = await auditTrail();
    const created = trail.find((e) => e.type === 'proposal.created' && e.proposalId === id);
    assert.deepEqual(created?.actor, { type: 'user', id: 'mcp:agent-alice' }, 'the agent is the requester');
    assert.ok(
      trail.some((e) => e.type === 'proposal.approved' && e.proposalId === id && e.actor.id === 'U0SRE0001'),
      'a human approved it',
    );
    assert.ok(
      trail.some(
        (e) => e.type === 'mcp.call' && e.actor.id === 'mcp:agent-alice' && e.data.tool === 'propose_action',
      ),
      'the call itself is audited under the client',
    );
    const listed = await alice.callTool({ name: 'list_incidents', arguments: {} });
    assert.match(text(listed), new RegExp(`"id":"${created?.incidentId}".*"proposals":\\[\\{"id":"${id}"`));
    const incident = await alice.callTool({
      name: 'get_incident',
      arguments: { id: created?.incidentId ?? '' },
    });
    assert.match(text(incident), new RegExp(`"id":"${id}"`));
  });

  it('a forbidden proposal is refused with the reasons; no card, no proposal', async () => {
    const proposals = (await auditTrail()).filter((e) => e.type === 'proposal.created').length;
    const result = await alice.callTool({
      name: 'propose_action',
      arguments: { action: 'delete-pvc', target: 'staging/data-cache-0' },
    });
    assert.equal(result.isError, true);
    assert.match(text(result), /^Refused: the policy forbids this\.\nForbidden/);
    assert.match(text(result), /destroys data that cannot be brought back/);
    assert.doesNotMatch(everythingSaid(world), /data-cache-0|delete-pvc/, 'nothing was posted');
    const after = (await auditTrail()).filter((e) => e.type === 'proposal.created').length;
    assert.equal(after, proposals, 'nothing was proposed');
  });

  it('a wrong bearer token is refused before any tool runs, and leaves no trace', async () => {
    const seq = (await auditTrail()).length;
    await assert.rejects(connect('not-the-token'), /401|Unauthorized/);
    const raw = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(raw.status, 401);
    assert.equal(raw.headers.get('www-authenticate'), 'Bearer realm="belay-mcp"');
    const body = (await raw.json()) as { error: { message: string } };
    assert.match(
      body.error.message,
      /^Unauthorized: send the bearer token of a client named in the mcp section/,
    );
    assert.equal((await auditTrail()).length, seq, 'no call was audited: none was made');
  });

  it('malformed arguments get a clear error and change nothing', async () => {
    const proposals = (await auditTrail()).filter((e) => e.type === 'proposal.created').length;
    const bad = await alice.callTool({ name: 'pods_list', arguments: { namespace: 'Not A Namespace!' } });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /Input validation error: Invalid arguments for tool pods_list/);
    const extra = await alice.callTool({
      name: 'pods_list',
      arguments: { namespace: 'staging', verb: 'delete' },
    });
    assert.equal(extra.isError, true, 'an unknown argument is refused, not ignored');
    const noTarget = await alice.callTool({ name: 'propose_action', arguments: { action: 'scale' } });
    assert.equal(noTarget.isError, true);
    assert.match(text(noTarget), /target/);
    const badTarget = await alice.callTool({
      name: 'propose_action',
      arguments: { action: 'scale', target: 'staging/deployment/web', args: { replicas: 'lots' } },
    });
    assert.equal(badTarget.isError, true);
    assert.match(text(badTarget), /replicas/);
    const after = (await auditTrail()).filter((e) => e.type === 'proposal.created').length;
    assert.equal(after, proposals, 'nothing was proposed');
    assert.deepEqual(
      world.kube.writes().filter((r) => !r.dryRun).length,
      1,
      'only the approved restart wrote',
    );
  });

  it('a flood of calls is cut at the client’s limit, with when to try again; other clients are not', async () => {
    const flood = await connect(TOKENS.MCP_FLOOD);
    const results = [];
    for (let i = 0; i < 25; i++)
      results.push(await flood.callTool({ name: 'namespace_get', arguments: { namespace: 'staging' } }));
    assert.equal(results.filter((r) => r.isError !== true).length, 20);
    const refused = results.filter((r) => r.isError === true);
    assert.equal(refused.length, 5);
    assert.match(
      text(refused[0]),
      /^Too many calls: agent-flood may make 20 tool calls a minute; nothing was done\. Try again in \d+s\./,
    );
    const other = await alice.callTool({ name: 'namespace_get', arguments: { namespace: 'staging' } });
    assert.notEqual(other.isError, true, 'agent-alice has its own budget');
    const refusedInAudit = (await auditTrail()).filter(
      (e) => e.type === 'mcp.call' && e.data.refused === true,
    );
    assert.equal(refusedInAudit.length, 5, 'each refusal is audited under the client');
    assert.ok(refusedInAudit.every((e) => e.actor.id === 'mcp:agent-flood'));
  });

  it('more proposals than the hourly limit are refused; the ones within it are posted', async () => {
    const bob = await connect(TOKENS.MCP_BOB);
    const propose = (replicas: number) =>
      bob.callTool({
        name: 'propose_action',
        arguments: {
          action: 'scale',
          target: 'staging/statefulset/cache',
          args: { replicas: String(replicas) },
        },
      });
    const posts = slackPosts().length;
    assert.notEqual((await propose(2)).isError, true);
    assert.notEqual((await propose(3)).isError, true);
    const third = await propose(4);
    assert.equal(third.isError, true);
    assert.match(
      text(third),
      /^Too many proposals: agent-bob may propose 2 actions an hour; nothing was proposed/,
    );
    await eventually('two cards', () => slackPosts().length >= posts + 2);
    assert.doesNotMatch(everythingSaid(world), /cache to 4 replicas/);
  });
});
