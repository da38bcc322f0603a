import { EXECUTOR_CALLS } from '../../src/act/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { fakeClock } from '../fakes/fake-clock.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { startFakeSlackApi } from '../fakes/slack-api-server.ts';

/** One firing crash-loop alert of its own Deployment, as Alertmanager posts it. */
export function crashLoopDelivery(n: number): string {
  const labels = {
    alertname: 'KubePodCrashLooping',
    namespace: 'staging',
    deployment: `svc-${n}`,
    pod: `svc-${n}-7c9f8d6b5-x2x4z`,
    severity: 'warning',
  };
  return JSON.stringify({
    receiver: 'belay',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: { summary: 'Pod is crash looping.' },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: `fp-svc-${n}`,
      },
    ],
    groupLabels: { alertname: 'KubePodCrashLooping' },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{deployment="svc-${n}"}`,
    truncatedAlerts: 0,
  });
}

export async function startFakes() {
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
  return {
    kube,
    slack,
    close: async () => {
      await slack.close();
      await kube.close();
    },
  };
}
