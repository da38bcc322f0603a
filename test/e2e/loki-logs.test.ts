import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type FakeLoki, startFakeLoki } from '../fakes/loki-server.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai-server.ts';
import { call, submit } from '../orient/harness.ts';
import { deliverAlert, eventually, startWorld, type World } from './support.ts';

const START = new Date('2026-03-14T10:00:00Z');

describe('logs that outlive the pod: Loki through the composition root', () => {
  let world: World | undefined;
  let loki: FakeLoki | undefined;
  let model: FakeOpenAI | undefined;
  afterEach(async () => {
    await world?.close();
    await loki?.close();
    await model?.close();
  });

  async function investigate(withLoki: boolean): Promise<FakeOpenAI> {
    loki = await startFakeLoki({ multiTenant: true });
    loki.streams.push({
      tenant: 'team-a',
      labels: { namespace: 'staging', pod: 'api-5d8f-gone', container: 'api' },
      lines: [
        [BigInt(START.getTime() - 60_000) * 1_000_000n, 'FATAL migration lock held; DB_PASSWORD=s3cr3t'],
      ],
    });
    model = await startFakeOpenAI({
      script: withLoki
        ? [
            {
              type: 'tool_calls',
              calls: [
                call('logs_query', { namespace: 'staging', query: '{pod=~"api-.*"} |= "FATAL"' }, 'c1'),
              ],
            },
          ]
        : [],
      repeat: { type: 'tool_calls', calls: [submit({ summary: 'looked', needsHuman: 'read the logs' })] },
    });
    world = await startWorld(
      `llm: { baseURL: ${JSON.stringify(model.baseURL)}, model: gpt-test }
${withLoki ? `loki: { url: ${JSON.stringify(loki.url)}, tenant: team-a }` : ''}`,
      '',
      START,
    );
    await deliverAlert(world, {
      name: 'KubePodCrashLooping',
      labels: { namespace: 'staging', pod: 'api-5d8f-new' },
      startsAt: START,
      fingerprint: 'loki-e2e',
    });
    // The card is posted once the investigation is over.
    await eventually('the incident card', () =>
      world?.slack.calls.some((c) => c.method === 'chat.postMessage'),
    );
    return model;
  }

  it('with a loki section, the model gets logs_query; its query reaches Loki held to the namespace, and the answer is redacted', async () => {
    const fake = await investigate(true);
    const tools = fake.requests[0]?.body.tools?.map((t) => t.function.name) ?? [];
    assert.ok(tools.includes('logs_query'), tools.join(', '));
    assert.equal(loki?.requests.length, 1);
    assert.equal(loki?.requests[0]?.tenant, 'team-a');
    assert.equal(loki?.requests[0]?.params.query, '{namespace="staging", pod=~"api-.*"} |= "FATAL"');
    const toolMessage = fake.requests[1]?.body.messages.find((m) => m.role === 'tool')?.content ?? '';
    assert.match(toolMessage, /FATAL migration lock held/);
    assert.doesNotMatch(toolMessage, /s3cr3t/);
  });

  it('without one, there is no logs_query tool', async () => {
    const fake = await investigate(false);
    const tools = fake.requests[0]?.body.tools?.map((t) => t.function.name) ?? [];
    assert.ok(tools.includes('pod_logs'));
    assert.ok(!tools.includes('logs_query'), tools.join(', '));
    assert.equal(loki?.requests.length, 0);
  });
});
