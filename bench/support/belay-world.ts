// The real composition root (startBelay: intake → inbox → pipeline → real state store and audit log on
// disk) against fake Kubernetes, Slack and (optionally) model servers on 127.0.0.1, for benchmarks. The fakes
// run in a child process (fakes-process.ts): in production they are other machines, so their CPU and memory
// are not Belay's, and the figures a benchmark prints are Belay's alone.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { startBelay } from '../../src/main.ts';
import { AM_TOKEN, configText, SIGNING_SECRET } from '../../test/e2e/support.ts';
import type { FakeOpenAIOptions } from '../../test/fakes/openai-server.ts';
import type { RecordedCall } from '../../test/fakes/slack-api-server.ts';
import type { FakesAddresses, FakesQuestion, FakesSpec } from './fakes-process.ts';

export { AM_TOKEN };

/** What the fakes in the other process saw, asked over IPC. */
export interface BenchFakes {
  slackCalls(): Promise<number>;
  /** Calls to one Slack method the fake answered 200. */
  served(method: string): Promise<RecordedCall[]>;
  modelRequests(): Promise<number>;
}

export interface BenchWorld {
  readonly intakePort: number;
  readonly fakes: BenchFakes;
  readonly storeDir: string;
  stop(): Promise<void>;
}

export interface BenchWorldOptions {
  /** Appended to the config; top-level keys start at column 0. */
  readonly extraConfig?: string;
  /** Starts the fake model with these options and points `llm:` at it (no retries). */
  readonly model?: FakeOpenAIOptions;
}

export async function startBenchWorld(options: BenchWorldOptions = {}): Promise<BenchWorld> {
  const fakes = await startFakesProcess({ ...(options.model ? { model: options.model } : {}) });
  const { kubeUrl, slackApiUrl, modelBaseURL } = fakes.addresses;
  const storeDir = await mkdtemp(join(tmpdir(), 'belay-bench-'));
  const llm = modelBaseURL ? `llm:\n  model: bench\n  baseURL: ${modelBaseURL}\n  maxRetries: 0\n` : '';
  const text = configText(storeDir, `${llm}${options.extraConfig ?? ''}`).replace(
    'slack:\n  mode: http',
    `slack:\n  mode: http\n  apiUrl: ${slackApiUrl}`,
  );
  const loaded = loadConfig(text, 'bench.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const belay = await startBelay({
    config: loaded.config,
    env: {
      logLevel: 'silent',
      slack: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET },
      openai: {},
    },
    environment: { E2E_AM_TOKEN: AM_TOKEN },
    logger: pino({ level: 'silent' }),
    kubeConfigLoader: (identity) =>
      kubeConfigFor(kubeUrl, identity.context === 'writer' ? 'writer' : 'reader'),
    ports: { intake: 0, slack: 0 },
  });
  return {
    intakePort: belay.intakePort,
    fakes: {
      slackCalls: () => fakes.ask({ ask: 'slack-calls' }) as Promise<number>,
      served: (method) => fakes.ask({ ask: 'served', method }) as Promise<RecordedCall[]>,
      modelRequests: () => fakes.ask({ ask: 'model-requests' }) as Promise<number>,
    },
    storeDir,
    async stop() {
      await belay.stop();
      await fakes.stop();
      await rm(storeDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** The kubeconfig a real cluster would hand out: the fake's URL and a bearer token it knows. */
function kubeConfigFor(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'fake-user', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake-user' }],
    currentContext: 'fake',
  });
  return kc;
}

type Question = FakesQuestion extends infer Q ? (Q extends { id: number } ? Omit<Q, 'id'> : never) : never;

async function startFakesProcess(spec: FakesSpec) {
  const child: ChildProcess = fork(new URL('./fakes-process.ts', import.meta.url), [JSON.stringify(spec)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (value: unknown) => void>();
  let ready: (addresses: FakesAddresses) => void = () => {};
  const started = new Promise<FakesAddresses>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`the fakes process exited (${code}) before it was ready`)));
  });
  child.on('message', (message: { ready?: FakesAddresses; id?: number; value?: unknown }) => {
    if (message.ready) ready(message.ready);
    else if (message.id !== undefined) waiting.get(message.id)?.(message.value);
  });
  const addresses = await started;
  let next = 0;
  const ask = (question: Question) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      waiting.set(id, (value) => {
        waiting.delete(id);
        resolve(value);
      });
      child.send({ ...question, id });
    });
  return {
    addresses,
    ask,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask({ ask: 'stop' });
      await exited;
    },
  };
}

/** A real Alertmanager v4 body: `count` firing alerts of one group (alertname + namespace), pods of a few Deployments. */
export function alertmanagerBody(group: number, count: number, deployments = 4): string {
  const namespace = `team-${group % 5}`;
  const alerts = Array.from({ length: count }, (_, i) => {
    const deployment = `svc-${group}-${i % deployments}`;
    const labels = {
      alertname: 'KubePodCrashLooping',
      namespace,
      deployment,
      pod: `${deployment}-5d8f7c9b6-${String(i).padStart(5, 'x')}`,
      container: 'app',
      severity: 'warning',
    };
    return {
      status: 'firing',
      labels,
      annotations: {
        summary: 'Pod is crash looping.',
        description: `${labels.pod} restarts 5 times / 10 minutes.`,
      },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=kube_pod_container_status_waiting_reason',
      fingerprint: `g${group}a${i}`,
    };
  });
  return JSON.stringify({
    receiver: 'belay',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'KubePodCrashLooping', namespace },
    commonLabels: { alertname: 'KubePodCrashLooping', namespace, severity: 'warning' },
    commonAnnotations: { summary: 'Pod is crash looping.' },
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="KubePodCrashLooping", namespace="${namespace}", g="${group}"}`,
    truncatedAlerts: 0,
  });
}
