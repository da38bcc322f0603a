import { createKubeReader, type KubeReader } from '../../../src/kube/index.ts';
import { createKubernetesReadTools } from '../../../src/observe/kubernetes/index.ts';
import type { ReadTool } from '../../../src/observe/read-tool.ts';
import { type FakeClock, fakeClock } from '../../fakes/fake-clock.ts';
import { FakeKubeApi, type Grant } from '../../fakes/kube-api-server.ts';

export interface ReadHarness {
  api: FakeKubeApi;
  clock: FakeClock;
  reader: KubeReader;
  tools: Map<string, ReadTool>;
  run(name: string, input: unknown): ReturnType<ReadTool['run']>;
  close(): Promise<void>;
}

export async function readHarness(
  options: { grants?: readonly Grant[]; redact?: (text: string) => string } = {},
): Promise<ReadHarness> {
  const clock = fakeClock();
  const api = await FakeKubeApi.start({
    clock,
    tokens: {
      admin: { user: 'admin', grants: 'all' },
      reader: { user: 'system:serviceaccount:belay:belay-reader', grants: options.grants ?? 'all' },
    },
  });
  const reader = createKubeReader(api.kubeConfig('reader'), { requestTimeoutMs: 5_000 });
  const list = createKubernetesReadTools({
    readerFor: (cluster) => (cluster === 'default' ? reader : undefined),
    clock,
    redact: options.redact ?? ((text) => text),
  });
  const tools = new Map(list.map((t) => [t.name, t]));
  return {
    api,
    clock,
    reader,
    tools,
    run: (name, input) => {
      const tool = tools.get(name);
      if (!tool) throw new Error(`no tool ${name}`);
      return tool.run(tool.input.parse(input), { cluster: 'default' });
    },
    close: () => api.close(),
  };
}

/** A namespace an incident could be about: a web Deployment, a crashing pod, a database, a backup CronJob. */
export function seedShop(api: FakeKubeApi): void {
  api.seed(
    { kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop', 'belay.io/class': 'apps' } } },
    { kind: 'Namespace', metadata: { name: 'databases', labels: { tier: 'critical' } } },
    {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'app', image: 'web:1.4.2', resources: { limits: { memory: '512Mi' } } }],
          },
        },
      },
    },
    {
      kind: 'StatefulSet',
      metadata: { name: 'postgres', namespace: 'databases', labels: { app: 'postgres' } },
      spec: {
        replicas: 1,
        serviceName: 'postgres',
        selector: { matchLabels: { app: 'postgres' } },
        template: {
          metadata: { labels: { app: 'postgres' } },
          spec: { containers: [{ name: 'postgres', image: 'postgres:16' }] },
        },
      },
    },
  );
}
