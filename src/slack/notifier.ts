import type { Clock, Incident } from '../domain/index.ts';
import type { IncidentView, Notifier } from '../govern/service.ts';
import { incidentMessage, threadLineMessage } from './blocks/index.ts';
import type { SendQueue } from './send-queue.ts';
import { callSlack, type SlackClient } from './slack-api.ts';

/** Where an incident's message lives: the message to update and the thread its events go to. */
export interface IncidentMessageRef {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string;
}

/** Persists message refs (govern's store), so a restart updates the same message instead of posting again. */
export interface IncidentMessageRefs {
  get(incidentId: string): Promise<IncidentMessageRef | undefined>;
  set(incidentId: string, ref: IncidentMessageRef): Promise<void>;
}

export interface SlackNotifierOptions {
  readonly client: SlackClient;
  readonly queue: SendQueue;
  readonly clock: Clock;
  /** For incidents that did not come from a channel message. */
  readonly incidentChannel: string;
  readonly refs: IncidentMessageRefs;
}

/**
 * The incident's message is posted once — in the alert message's thread when the incident came from a
 * channel, else in the incident channel — and updated in place after. Posting runs inside the channel's
 * queue, so two updates racing for a new incident post one message, not two.
 */
export function createSlackNotifier(options: SlackNotifierOptions): Notifier {
  const { client, queue, refs } = options;
  const channelOf = (incident: Incident) => incident.slackThread?.channel ?? options.incidentChannel;

  return {
    async incidentUpdated(view: IncidentView) {
      const channel = channelOf(view.incident);
      await queue.send(channel, async () => {
        const message = incidentMessage(view, options.clock.now());
        const ref = await refs.get(view.incident.id);
        if (ref) {
          await callSlack(client, 'chat.update', { channel: ref.channel, ts: ref.ts, ...message });
          return;
        }
        const alertThread = view.incident.slackThread?.ts;
        const posted = await callSlack(client, 'chat.postMessage', {
          channel,
          ...(alertThread ? { thread_ts: alertThread } : {}),
          ...message,
        });
        const ts = (posted as { ts?: unknown }).ts;
        if (typeof ts !== 'string') throw new Error('Slack accepted the incident message but returned no ts');
        await refs.set(view.incident.id, { channel, ts, threadTs: alertThread ?? ts });
      });
    },
    async threadLine(incident: Incident, text: string) {
      const channel = channelOf(incident);
      await queue.send(channel, async () => {
        const ref = await refs.get(incident.id);
        const threadTs = ref?.threadTs ?? incident.slackThread?.ts;
        await callSlack(client, 'chat.postMessage', {
          channel: ref?.channel ?? channel,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...threadLineMessage(text),
        });
      });
    },
    async announce(text: string) {
      await queue.send(options.incidentChannel, async () => {
        await callSlack(client, 'chat.postMessage', {
          channel: options.incidentChannel,
          ...threadLineMessage(text),
        });
      });
    },
  };
}
