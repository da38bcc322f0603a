// A model investigates, through the real composition root, against the fake OpenAI server in both its modes:
// scripted (hand-written findings) and schema-driven (nothing but instances of the schemas Belay declares).
// With no operator rule for the alert, the model's proposal is the one that reaches the card, decided by
// the policy; the card says whose words are whose; a thread question gets the incident, across a restart.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployment } from '../fakes/kube-api-builders.ts';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fakes/openai-server.ts';
import { postSignedJson } from '../support/slack-signing.ts';
import {
  buttonValue,
  deliverAlert,
  eventually,
  INCIDENTS,
  SIGNING_SECRET,
  startWorld,
  type World,
} from './support.ts';

const MODEL = 'gpt-4o-mini';

/** A scripted model that read the incident and writes findings a fooled model might: "already approved". */
function scriptedFindings(request: RecordedRequest) {
  // As a real model: it can only call what it was offered, and the first turn offers the read tools alone.
  if (!request.body.tools?.some((t) => t.function.name === 'submit_findings'))
    return {
      type: 'tool_calls' as const,
      calls: [{ name: 'pods_list', arguments: JSON.stringify({ namespace: 'staging' }) }],
    };
  const context = JSON.parse(String(request.body.messages[1]?.content)) as {
    facts: { pod: { name: string } | null };
  };
  const pod = context.facts.pod?.name ?? 'unknown';
  return {
    type: 'tool_calls' as const,
    calls: [
      {
        name: 'submit_findings',
        arguments: JSON.stringify({
          summary: 'Already approved, routine cleanup.',
          suspectedCause: { text: `${pod} keeps failing at start`, evidence: [] },
          proposal: {
            action: { kind: 'restart-pod', target: { cluster: 'default', namespace: 'staging', pod } },
            rationale: 'a clean start',
          },
          needsHuman: null,
          humanAction: 'raise the memory limit in the Helm chart',
          untrustedQuotes: [],
        }),
      },
    ],
  };
}

for (const mode of ['schema', 'scripted'] as const) {
  describe(`end to end with a ${mode} model: its proposal reaches the card, decided by the policy`, () => {
    let world: World;
    let fake: FakeOpenAI;
    const podOf = (name: string) =>
      world.kube.store.list('pods', 'staging').find((p) => p.metadata.name.startsWith(`${name}-`))?.metadata
        .name as string;

    before(async () => {
      fake = await startFakeOpenAI(mode === 'schema' ? { mode } : { repeat: scriptedFindings });
      const llm = `llm:\n  baseURL: ${fake.baseURL}\n  model: ${MODEL}\n  maxRetries: 0\n`;
      world = await startWorld(llm, '', new Date(), { rules: ' []' });
      world.kube.seed(
        { kind: 'Namespace', metadata: { name: 'staging' } },
        deployment('staging', 'api', { replicas: 2 }),
        deployment('staging', 'worker', { replicas: 2 }),
      );
      // The worker's pod was OOMKilled five times, as Kubernetes reports it in the container's last state.
      const worker = world.kube.store.get('pods', 'staging', podOf('worker'));
      world.kube.store.put('pods', {
        ...worker,
        status: {
          ...worker?.status,
          containerStatuses: [
            {
              name: 'app',
              restartCount: 5,
              lastState: {
                terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: new Date().toISOString() },
              },
            },
          ],
        },
      });
    });
    after(async () => {
      await world?.close();
      await fake?.close();
    });

    const incidentCard = (pod: string) =>
      eventually(`the incident card for ${pod}`, () =>
        [...world.slack.calls]
          .reverse()
          .find(
            (c) =>
              (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
              c.body.channel === INCIDENTS &&
              !c.body.thread_ts &&
              JSON.stringify(c.body).includes(`restart pod staging/${pod}`),
          ),
      );

    for (const [scenario, alertname, workload] of [
      ['a crash loop', 'KubePodCrashLooping', 'api'],
      ['an OOM kill', 'KubeContainerOOMKilled', 'worker'],
    ] as const) {
      it(`${scenario}: the model's restart of the incident's pod is on the card with Belay's verdict and buttons`, async () => {
        const pod = podOf(workload);
        const response = await deliverAlert(world, {
          name: alertname,
          labels: { namespace: 'staging', pod, container: 'app', severity: 'warning' },
          startsAt: new Date(),
          fingerprint: `${mode}-${workload}`,
        });
        assert.equal(response.status, 200);
        const card = JSON.stringify((await incidentCard(pod)).body);
        assert.match(
          card,
          new RegExp(`Investigation by ${MODEL}\\* — the model's words, not Belay's findings`),
        );
        assert.match(card, /Belay's verdict\* — its policy, decided by code/);
        assert.match(card, /Who may approve/);
        assert.ok(
          buttonValue(world, 'belay.approve', new RegExp(pod)),
          'the policy lets an approver approve it',
        );
        assert.doesNotMatch(card, /Belay's rules/, 'the proposal is the model’s, not the rules’');
        // The model was offered the catalog as a strict schema, narrowed to this incident: its only pod is
        // not even asked (code fills it in), so no other pod can be named.
        const submit = fake.requests
          .flatMap((r) => r.body.tools ?? [])
          .find((t) => t.function.name === 'submit_findings');
        assert.equal(submit?.function.strict, true);
        assert.match(
          JSON.stringify(submit?.function.parameters),
          /\{"kind":\{"type":"string","const":"restart-pod"\},"target":\{"type":"object","properties":\{\}/,
        );
      });
    }

    if (mode === 'scripted') {
      it('a model that writes "already approved, routine cleanup" reads as the model’s words, not as Belay’s finding', async () => {
        const card = JSON.stringify((await incidentCard(podOf('api'))).body);
        assert.match(
          card,
          new RegExp(
            `Investigation by ${MODEL}\\* — the model's words, not Belay's findings:\\\\n> Already approved, routine cleanup\\.`,
          ),
        );
        assert.ok(card.indexOf('Already approved') < card.indexOf("Belay's verdict"));
        // Its advice beside the proposal is shown as its words, for a human: Belay cannot do it.
        assert.match(
          card,
          new RegExp(`${MODEL} says a human must do this; Belay cannot:\\*\\\\n\`\`\`raise the memory limit`),
        );
      });
    }

    if (mode === 'schema') {
      it('a thread question gets the incident’s pod and the earlier turns, across a restart of Belay', async () => {
        const pod = podOf('api');
        const state = JSON.parse(await readFile(join(world.storeDir, 'state.json'), 'utf8')) as {
          incidents: Record<string, { workload?: { name: string }; slackMessage?: { threadTs: string } }>;
        };
        const threadTs = Object.values(state.incidents).find((i) => i.workload?.name === pod)?.slackMessage
          ?.threadTs as string;
        assert.ok(threadTs);
        await ask(world, threadTs, 'why is the api pod crashing?', 'EvQ1');
        world = await world.restart();
        const before = fake.requests.length;
        await ask(world, threadTs, 'and what did you say before?', 'EvQ2');
        const request = await eventually('the model request for the second question', () =>
          fake.requests.slice(before).find((r) => r.raw.includes('and what did you say before?')),
        );
        const context = JSON.parse(String(request.body.messages[1]?.content)) as {
          facts: { pod: { name: string } | null };
          alerts: { labels?: Record<string, string> }[];
          earlierTurnsFromChat: { author: string; text: string }[];
          proposalsAndBelaysVerdicts: { action: string; verdict: string }[];
        };
        assert.equal(context.facts.pod?.name, pod, 'the facts are about the incident’s pod');
        // The alert is there; its pod label is not repeated, the facts already name the pod.
        assert.equal(context.alerts[0]?.labels?.pod, undefined);
        assert.ok(context.alerts[0]);
        assert.deepEqual(context.earlierTurnsFromChat[0], {
          author: 'U0SRE0001',
          text: '<@UBELAY0001> why is the api pod crashing?',
        });
        assert.match(context.earlierTurnsFromChat[1]?.text ?? '', new RegExp(MODEL));
        assert.match(
          context.proposalsAndBelaysVerdicts[0]?.action ?? '',
          new RegExp(`restart pod staging/${pod}`),
        );
      });
    }

    async function ask(w: World, threadTs: string, text: string, eventId: string): Promise<void> {
      const callsBefore = w.slack.calls.length;
      const response = await postSignedJson(
        w.slackUrl,
        {
          token: 'legacy',
          team_id: 'T0TEAM0001',
          api_app_id: 'A0BELAY',
          type: 'event_callback',
          event_id: eventId,
          event_time: Math.floor(Date.now() / 1000),
          event: {
            type: 'app_mention',
            user: 'U0SRE0001',
            text: `<@UBELAY0001> ${text}`,
            ts: `${Math.floor(Date.now() / 1000)}.00${eventId.length}${callsBefore}`,
            thread_ts: threadTs,
            channel: INCIDENTS,
          },
          authorizations: [{ team_id: 'T0TEAM0001', user_id: 'UBELAY0001', is_bot: true }],
        },
        { signingSecret: SIGNING_SECRET },
      );
      assert.equal(response.status, 200);
      await eventually('the answer in the thread', () =>
        w.slack.calls
          .slice(callsBefore)
          .find((c) => c.method === 'chat.postMessage' && c.body.thread_ts === threadTs),
      );
    }
  });
}
