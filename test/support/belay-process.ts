import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { AM_TOKEN, configText, SIGNING_SECRET } from '../e2e/support.ts';
import { freePort } from '../fakes/free-port.ts';
import type { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { startFakes } from './process-fakes.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface BelaySetup {
  readonly storeDir: string;
  readonly intakeUrl: string;
  readonly env: Record<string, string>;
}

/**
 * Files and environment for `npm start` against fakes on 127.0.0.1: a config (store in `storeDir`), a
 * kubeconfig with the reader and writer identities, Slack in HTTP mode at `slackApiUrl`.
 */
export async function belaySetup(
  t: TestContext,
  fakes: { slackApiUrl: string; kube: FakeKubeApi; storeDir?: string; extraConfig?: string },
): Promise<BelaySetup> {
  const dir = await mkdtemp(join(tmpdir(), 'belay-process-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const storeDir = fakes.storeDir ?? join(dir, 'store');
  const kubeconfig = join(dir, 'kubeconfig.json');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: fakes.kube.url, skipTLSVerify: true }],
    users: [
      { name: 'reader', token: 'reader' },
      { name: 'writer', token: 'writer' },
    ],
    contexts: [
      { name: 'reader', cluster: 'fake', user: 'reader' },
      { name: 'writer', cluster: 'fake', user: 'writer' },
    ],
    currentContext: 'reader',
  });
  await writeFile(kubeconfig, kc.exportConfig());
  const intakePort = await freePort();
  const slackPort = await freePort();
  const config = configText(storeDir, fakes.extraConfig ?? '')
    .replace('port: 8080', `port: ${intakePort}`)
    .replaceAll('fake-kubeconfig.yaml', JSON.stringify(kubeconfig))
    .replace(
      'slack:\n  mode: http',
      `slack:\n  mode: http\n  apiUrl: ${fakes.slackApiUrl}\n  port: ${slackPort}`,
    );
  const configPath = join(dir, 'belay.yaml');
  await writeFile(configPath, config);
  return {
    storeDir,
    intakeUrl: `http://127.0.0.1:${intakePort}`,
    env: {
      PATH: process.env.PATH ?? '',
      BELAY_CONFIG: configPath,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      E2E_AM_TOKEN: AM_TOKEN,
      LOG_LEVEL: 'warn',
      NODE_COMPILE_CACHE: join(tmpdir(), 'belay-test-compile-cache'),
    },
  };
}

export interface BelayProcess {
  readonly child: ChildProcess;
  /** Resolves once /readyz answers 200. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `node src/main.ts`, a real process the test can SIGKILL or SIGTERM. */
export function startBelayProcess(t: TestContext, setup: BelaySetup): BelayProcess {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    env: setup.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  const ready = (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Belay exited at start-up:\n${output}`);
      const ok = await fetch(`${setup.intakeUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Belay did not become ready within 60 s:\n${output}`);
  })();
  return { child, ready, exited, output: () => output };
}

/** Fresh fakes (closed when the test ends), a store and config for them, and Belay started on them, ready. */
export async function startBelayOnFakes(t: TestContext) {
  const fakes = await startFakes();
  t.after(() => fakes.close());
  const setup = await belaySetup(t, { slackApiUrl: fakes.slack.apiUrl, kube: fakes.kube });
  const first = startBelayProcess(t, setup);
  await first.ready;
  return { fakes, setup, first };
}
