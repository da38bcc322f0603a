// The real composition root (startBelay: intake → inbox → pipeline → real state store and audit log on
// disk) against fake Kubernetes, Slack and (optionally) model servers on 127.0.0.1, for benchmarks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { EXECUTOR_CALLS } from '../../src/act/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { startBelay } from '../../src/main.ts';
import { AM_TOKEN, configText, SIGNING_SECRET } from '../../test/e2e/support.ts';
import { fakeClock } from '../../test/fakes/fake-clock.ts';
import { FakeKubeApi } from '../../test/fakes/kube-api-server.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../test/fakes/slack-api-server.ts';

export { AM_TOKEN };

export interface BenchWorld {
  readonly intakePort: number;
  readonly slack: FakeSlackApi;
  readonly storeDir: string;
  stop(): Promise<void>;
}

/** `extraConfig` is appended to the config; top-level keys (llm:) start at column 0. */
export async function startBenchWorld(extraConfig = ''): Promise<BenchWorld> {
  const kube = await FakeKubeApi.start({
    clock: fakeClock(new Date().toISOString()),
    tokens: {
      reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
      writer: {
        user: 'system:serviceaccount:belay:belay-writer',
        grants: Object.values(EXECUTOR_CALLS).flat(),
      },
    },
  });
  const slack = await startFakeSlackApi();
  const storeDir = await mkdtemp(join(tmpdir(), 'belay-bench-'));
  const text = configText(storeDir, extraConfig).replace(
    'slack:\n  mode: http',
    `slack:\n  mode: http\n  apiUrl: ${slack.apiUrl}`,
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
    kubeConfigLoader: (identity) => kube.kubeConfig(identity.context === 'writer' ? 'writer' : 'reader'),
    ports: { intake: 0, slack: 0 },
  });
  return {
    intakePort: belay.intakePort,
    slack,
    storeDir,
    async stop() {
      await belay.stop();
      await slack.close();
      await kube.close();
      await rm(storeDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
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
