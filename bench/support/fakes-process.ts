// The fake Kubernetes API, Slack Web API and (optionally) model of a benchmark, in a process of their own.
// In production they are other machines: sharing Belay's event loop and heap would charge their work (and
// every Slack call they record) to Belay's acknowledgement latency and RSS. Started by belay-world.ts with
// fork(); it answers questions about what the fakes saw over the IPC channel.
import { EXECUTOR_CALLS } from '../../src/act/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { fakeClock } from '../../test/fakes/fake-clock.ts';
import { FakeKubeApi } from '../../test/fakes/kube-api-server.ts';
import { type FakeOpenAIOptions, startFakeOpenAI } from '../../test/fakes/openai-server.ts';
import { startFakeSlackApi } from '../../test/fakes/slack-api-server.ts';

/** What the parent sends: which fakes to start (argv[2], JSON), then questions over IPC. */
export interface FakesSpec {
  readonly model?: FakeOpenAIOptions;
}
export interface FakesAddresses {
  readonly kubeUrl: string;
  readonly slackApiUrl: string;
  readonly modelBaseURL?: string;
}
export type FakesQuestion =
  | { readonly id: number; readonly ask: 'slack-calls' }
  | { readonly id: number; readonly ask: 'served'; readonly method: string }
  | { readonly id: number; readonly ask: 'model-requests' }
  | { readonly id: number; readonly ask: 'stop' };

const send = (message: unknown) => process.send?.(message);
const spec = JSON.parse(process.argv[2] ?? '{}') as FakesSpec;
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
const model = spec.model ? await startFakeOpenAI(spec.model) : undefined;
const addresses: FakesAddresses = {
  kubeUrl: kube.url,
  slackApiUrl: slack.apiUrl,
  ...(model ? { modelBaseURL: model.baseURL } : {}),
};
send({ ready: addresses });

process.on('message', async (question: FakesQuestion) => {
  switch (question.ask) {
    case 'slack-calls':
      return send({ id: question.id, value: slack.calls.length });
    case 'served':
      return send({ id: question.id, value: slack.served(question.method) });
    case 'model-requests':
      return send({ id: question.id, value: model?.requests.length ?? 0 });
    case 'stop':
      await Promise.all([slack.close(), kube.close(), model?.close()]);
      send({ id: question.id, value: true });
      process.disconnect();
  }
});
