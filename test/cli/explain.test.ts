// `belay explain` as an operator runs it: a child process, a kubeconfig pointing at a Kubernetes API (the
// fake one, on 127.0.0.1), the policy file, and nothing else — no Slack, no state to change.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { explanationText } from '../../src/cli/explain.ts';
import { runCli } from '../../src/cli/index.ts';
import type { Verdict } from '../../src/domain/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { explainMessage } from '../../src/slack/blocks/explain-message.ts';
import { fakeClock } from '../fakes/fake-clock.ts';
import { statefulSet } from '../fakes/kube-api-builders.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';

const BELAY = resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'belay.ts');
const NIGHT = '2026-03-14T02:17:00Z';

function kubeconfig(server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'belay-reader',
    clusters: [{ name: 'homelab', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'belay-reader', user: { token } }],
    contexts: [{ name: 'belay-reader', context: { cluster: 'homelab', user: 'belay-reader' } }],
  });
}

function policy(storeDir: string, kubeconfigPath: string): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
    approvers: { users: [U0DBA0001] }
  - name: staging
defaultNamespaceClass: staging
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
store: { dir: ${JSON.stringify(storeDir)} }
kubernetes:
  clusters:
    - name: homelab
      kubeconfig: ${JSON.stringify(kubeconfigPath)}
  requestTimeout: 5s
`;
}

function belay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BELAY, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The same CLI in this process, for the cases that need no separate process to prove. */
async function belayHere(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readFile: (path) => readFile(path, 'utf8'),
    env: {},
  });
  return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('belay explain against a live cluster', () => {
  let kube: FakeKubeApi;
  let dir: string;
  let config: string;
  let storeDir: string;

  before(async () => {
    kube = await FakeKubeApi.start({
      clock: fakeClock(NIGHT),
      tokens: {
        reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
      },
    });
    kube.seed({ kind: 'Namespace', metadata: { name: 'databases' } }, statefulSet('databases', 'postgres'));
    dir = await mkdtemp(join(tmpdir(), 'belay-explain-'));
    storeDir = join(dir, 'state');
    await writeFile(join(dir, 'kubeconfig.yaml'), kubeconfig(kube.url, 'reader'));
    config = join(dir, 'belay.yaml');
    await writeFile(config, policy(storeDir, join(dir, 'kubeconfig.yaml')));
  });
  after(async () => {
    await kube?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('at 02:17 the restart is blocked by the backup window, with every reason; exit 0; nothing written', async () => {
    const run = await belay([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      config,
      '--at',
      NIGHT,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^If asked now: ✋ Blocked: restart pod homelab:databases\/postgres-0 — Inside backup window postgres-nightly-backup until 02:45 UTC/,
    );
    assert.match(run.stdout, /\[window:postgres-nightly-backup\]/);
    assert.match(run.stdout, /Namespace class: production-critical/);
    assert.match(run.stdout, /Window: postgres-nightly-backup until 02:45 UTC/);
    assert.match(run.stdout, /Who may approve: @U0DBA0001 \(not the requester\)/);
    assert.match(run.stderr, /no Belay state at .*state\.json/);
    assert.ok(
      kube.requests.some((r) => r.verb === 'get' && r.resource === 'pods'),
      'the pod was read from the cluster',
    );
    assert.deepEqual(
      kube.requests.filter((r) => !['get', 'list'].includes(r.verb)).map((r) => `${r.method} ${r.path}`),
      [],
      'explain writes nothing to the cluster',
    );
    assert.equal(await readdir(storeDir).catch(() => 'absent'), 'absent', 'and creates no state of its own');
  });

  it('prints the same words as /remediate explain, and --json carries the verdict', async () => {
    const run = await belay([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      config,
      '--at',
      NIGHT,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const { verdict, at } = JSON.parse(run.stdout) as { verdict: Verdict; at: string };
    assert.equal(verdict.disposition, 'blocked');
    const plain = explanationText(verdict, new Date(at));
    const slack = explainMessage({ message: '', verdict }, new Date(at));
    // The same words; only the markup differs (marks, emphasis, code, escapes and mention syntax).
    const words = (text: string) =>
      text
        .replace(/:[a-z_]+:|&lt;|&gt;|!subteam\^|[<>@*_`[\]✓✗·]/g, '')
        .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
        .replace(/\s+/g, ' ')
        .trim();
    const slackText = (slack.blocks as { text?: { text: string } }[])
      .map((b) => b.text?.text ?? '')
      .join('\n');
    assert.equal(words(plain.join('\n')), words(slackText));
  });

  it('at 14:00 the same restart is not blocked by the window: still exit 0, whatever the verdict', async () => {
    const run = await belayHere([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      config,
      '--at',
      '2026-03-14T14:00:00Z',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /Inside backup window/);
    assert.match(run.stdout, /Window: none open/);
  });

  it('an unreachable cluster cannot be decided on: exit 1, naming the cluster and why', async () => {
    const unreachable = join(dir, 'unreachable.yaml');
    await writeFile(join(dir, 'gone.yaml'), kubeconfig(`http://127.0.0.1:${await closedPort()}`, 'reader'));
    await writeFile(unreachable, policy(storeDir, join(dir, 'gone.yaml')));
    const run = await belay(['explain', 'restart-pod', 'databases/postgres-0', '--config', unreachable]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /could not decide: Belay could not read pod databases\/postgres-0 from cluster "homelab" \(.*ECONNREFUSED/,
    );
  });

  it('an invalid config or a wrong command line is named, and nothing is asked of the cluster', async () => {
    const before = kube.requests.length;
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'version: 1\nnamespaceClasses: []\n');
    const invalid = await belayHere(['explain', 'restart-pod', 'databases/postgres-0', '--config', broken]);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.stderr,
      /could not decide: .*broken\.yaml is not a valid config.*belay check-config/,
    );
    const noKubeconfig = join(dir, 'no-kubeconfig.yaml');
    await writeFile(noKubeconfig, policy(storeDir, join(dir, 'nowhere.yaml')));
    const unloadable = await belayHere([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      noKubeconfig,
    ]);
    assert.equal(unloadable.code, 1);
    assert.match(unloadable.stderr, /could not decide: kubernetes\.clusters "homelab": .*nowhere\.yaml/);
    const damagedState = join(dir, 'damaged');
    await mkdir(damagedState);
    await writeFile(join(damagedState, 'state.json'), '{"schemaVersion": 1, "ledger": "oops"}');
    await writeFile(join(dir, 'damaged.yaml'), policy(damagedState, join(dir, 'kubeconfig.yaml')));
    const damaged = await belayHere([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      join(dir, 'damaged.yaml'),
    ]);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stderr, /could not decide: State file .*damaged\/state\.json is not valid/);
    const missing = await belayHere(['explain', 'restart-pod', '--config', config]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs an action, a target and --config/);
    const badTarget = await belayHere(['explain', 'restart-pod', 'postgres-0', '--config', config]);
    assert.equal(badTarget.code, 2);
    assert.match(badTarget.stderr, /is not a target; write it as/);
    const badTime = await belayHere([
      'explain',
      'restart-pod',
      'databases/postgres-0',
      '--config',
      config,
      '--at',
      'tonight',
    ]);
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /--at "tonight" is not a time/);
    assert.equal(kube.requests.length, before);
  });
});
