import { randomUUID } from 'node:crypto';
import type { Clock, DryRunReview, GraphFile, Incident } from '../domain/index.ts';
import { createRecentMap } from '../govern/recent-map.ts';
import type { IncidentView, Notifier } from '../govern/service.ts';
import { type GraphReference, withGraphReference } from './blocks/graph-reference.ts';
import { incidentMessage, reviewMessage, threadLineMessage } from './blocks/index.ts';
import type { SlackMessage } from './blocks/limits.ts';
import type { StormFleet } from './blocks/storm-message.ts';
import { uploadGraph } from './graph-upload.ts';
import type { IncidentMessageRefs, SlackOutbox, SlackOutboxEntry } from './outbox-entry.ts';
import { findOwnPost } from './own-messages.ts';
import type { SendQueue } from './send-queue.ts';
import { callSlack, type SlackClient, type SlackFilesClient } from './slack-api.ts';
import { createStormBoard, STORM_OVER_MS } from './storm-board.ts';
import { memberOf, stormMember } from './storm-members.ts';

export interface SlackNotifierOptions {
  readonly client: SlackClient;
  readonly queue: SendQueue;
  readonly clock: Clock;
  /** For incidents that did not come from a channel message. */
  readonly incidentChannel: string;
  readonly refs: IncidentMessageRefs;
  /** Absent: what is queued when Belay stops is lost. */
  readonly outbox?: SlackOutbox;
  readonly newId?: () => string;
  /** How long storm thread lines wait to be batched (default STORM_BATCH). */
  readonly stormBatch?: { quietMs: number; maxWaitMs: number };
  /** The fleet a storm message measures its share against; absent: the share says the size is unknown. */
  readonly fleet?: () => StormFleet;
  /**
   * The open incidents that were investigated (so their card was sent or is in the outbox). On resume, the
   * storm incidents among them are counted again, so a continued storm message does not drop to the few
   * still in the outbox; those in the outbox keep their thread lines.
   */
  readonly openIncidents?: () => readonly Incident[];
  /** Uploads graphs into incident threads (needs `files:write`); absent: graphs are not shown. */
  readonly files?: SlackFilesClient;
}

export interface SlackNotifier extends Notifier {
  /** Sends what the outbox holds from before the last stop; resolves when it is all sent. */
  resume(): Promise<void>;
}

/** Slack's message metadata type for Belay's posts: it carries the outbox id, so a lost result can be found. */
export const OUTBOX_EVENT_TYPE = 'belay_outbox';
const PLATFORM_ERROR = 'slack_webapi_platform_error';

/**
 * The incident's message is posted once — in the alert message's thread when the incident came from a
 * channel, else in the incident channel — and updated in place after. Posting runs inside the channel's
 * queue, so two updates racing for a new incident post one message, not two. Every send is in the outbox
 * first and marked sent after; a send resumed after a restart looks for its own earlier post (by metadata)
 * before posting, so a post whose answer was lost is not posted twice.
 */
/** Incidents whose card the notifier keeps, to point it at its graph once uploaded. */
const CARDS_KEPT = 1_000;

export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const { client, queue, refs, outbox } = options;
  const newId = options.newId ?? randomUUID;
  const channelOf = (incident: Incident) => incident.slackThread?.channel ?? options.incidentChannel;
  /** The newest rendering of each incident: an older one still queued is skipped, not sent. */
  const latest = new Map<string, string>();
  const resumed = new Set<string>();
  /** Each incident's card as last rendered, and its graph once uploaded: the card points at the graph. */
  // Bounded like the presenter's findings: a card older than the last thousand is not re-rendered with its graph.
  const cards = createRecentMap<string, Record<string, unknown>>(CARDS_KEPT);
  const graphs = createRecentMap<string, GraphReference>(CARDS_KEPT);
  const board = createStormBoard({
    // A storm thread line is sent when its batch is posted, not when its message was handed over.
    posted: async (ids) => {
      for (const id of ids) await outbox?.sent(id);
    },
    client,
    eventType: OUTBOX_EVENT_TYPE,
    closing: queue.closing,
    // A closed queue sends nothing more; the lines still waiting get one direct attempt as Belay stops.
    schedule: (channel, task) => (queue.closing.aborted ? task() : queue.send(`${channel}#storm`, task)),
    ...(options.stormBatch ? { batch: options.stormBatch } : {}),
    ...(options.fleet ? { fleet: options.fleet } : {}),
    now: () => options.clock.now().getTime(),
  });
  /** The storm thread line an entry stands for: the outbox marks it sent once its batch is posted. */
  const lineOf = (entry: SlackOutboxEntry) => ({ id: entry.id, resumed: resumed.has(entry.id) });
  /** Storm traffic has its own lane per channel, so incidents outside the storm never wait behind it. */
  const laneOf = (entry: SlackOutboxEntry) => (entry.storm ? `${entry.channel}#storm` : entry.channel);

  const metadata = (entry: SlackOutboxEntry) => ({
    event_type: OUTBOX_EVENT_TYPE,
    event_payload: { outbox_id: entry.id, ...(entry.incidentId ? { incident_id: entry.incidentId } : {}) },
  });

  const sendIncident = async (entry: SlackOutboxEntry) => {
    const incidentId = entry.incidentId as string;
    if (latest.get(incidentId) !== entry.id) return;
    let ref = await refs.get(incidentId);
    if (!ref && resumed.has(entry.id) && !entry.threadTs) {
      const ts = await findOwnPost(client, {
        channel: entry.channel,
        eventType: OUTBOX_EVENT_TYPE,
        matches: (payload) => payload.incident_id === entry.incidentId,
      });
      if (ts) {
        ref = { channel: entry.channel, ts, threadTs: ts };
        await refs.set(incidentId, ref);
      }
    }
    if (ref) {
      await callSlack(client, 'chat.update', { channel: ref.channel, ts: ref.ts, ...entry.message });
      return;
    }
    if (entry.storm) {
      board.add(entry.channel, entry.storm, lineOf(entry));
      await board.flush(entry.channel);
      return;
    }
    const posted = await callSlack(client, 'chat.postMessage', {
      channel: entry.channel,
      ...(entry.threadTs ? { thread_ts: entry.threadTs } : {}),
      ...entry.message,
      metadata: metadata(entry),
    });
    const ts = (posted as { ts?: unknown }).ts;
    if (typeof ts !== 'string') throw new Error('Slack accepted the incident message but returned no ts');
    await refs.set(incidentId, { channel: entry.channel, ts, threadTs: entry.threadTs ?? ts });
  };

  const sendLine = async (entry: SlackOutboxEntry) => {
    const ref = entry.incidentId ? await refs.get(entry.incidentId) : undefined;
    if (!ref && entry.storm && !entry.threadTs) {
      board.line(entry.channel, {
        ...lineOf(entry),
        text: `${entry.storm.title}: ${String(entry.message.text ?? '')}`,
      });
      await board.flush(entry.channel);
      return;
    }
    const threadTs = ref?.threadTs ?? entry.threadTs;
    await callSlack(client, 'chat.postMessage', {
      channel: ref?.channel ?? entry.channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...entry.message,
      metadata: metadata(entry),
    });
  };

  const sendGraph = async (entry: SlackOutboxEntry) => {
    const incidentId = entry.incidentId as string;
    const ref = await refs.get(incidentId);
    const threadTs = ref?.threadTs ?? entry.threadTs;
    if (!options.files || !entry.file || !threadTs) return;
    const graph = await uploadGraph(
      { client, files: options.files },
      { channel: ref?.channel ?? entry.channel, threadTs, file: entry.file, resumed: resumed.has(entry.id) },
    );
    graphs.set(incidentId, graph);
    // Kept with the message's ref too: after a restart the card's next rendering still points at it.
    const current = await refs.get(incidentId);
    if (current) await refs.set(incidentId, { ...current, graph });
  };

  const deliver = (entry: SlackOutboxEntry) =>
    queue.send(laneOf(entry), async () => {
      try {
        if (entry.kind === 'incident') await sendIncident(entry);
        else if (entry.kind === 'graph') await sendGraph(entry);
        else await sendLine(entry);
      } catch (error) {
        // Slack refused the message itself (invalid_blocks, channel_not_found): resending cannot help.
        if ((error as { code?: string }).code === PLATFORM_ERROR) await outbox?.sent(entry.id);
        throw error;
      }
      // Its storm thread line still waits for its batch: the board marks it sent once posted.
      if (!board.holds(entry.id)) await outbox?.sent(entry.id);
      forget(entry);
    });

  /** Sent: an incident's newest rendering and a resumed id are no longer needed (else they stay for ever). */
  const forget = (entry: SlackOutboxEntry) => {
    resumed.delete(entry.id);
    if (entry.incidentId && latest.get(entry.incidentId) === entry.id) latest.delete(entry.incidentId);
  };

  const enqueue = async (entry: SlackOutboxEntry) => {
    if (entry.kind === 'incident' && entry.incidentId) latest.set(entry.incidentId, entry.id);
    // Counted at once, so the storm lane's next flush carries every incident opened so far.
    if (entry.kind === 'incident' && entry.storm) board.add(entry.channel, entry.storm, lineOf(entry));
    await outbox?.record(entry);
    await deliver(entry);
  };

  /** A line in the incident's thread; before the thread exists, a storm member's line waits on the board. */
  const enqueueInThread = async (incident: Incident, message: SlackMessage) => {
    const threadTs = incident.slackThread?.ts;
    await enqueue({
      id: newId(),
      kind: 'thread',
      channel: channelOf(incident),
      incidentId: incident.id,
      ...(threadTs ? { threadTs } : {}),
      message: { ...message },
      ...(incident.storm && !threadTs ? { storm: memberOf(incident) } : {}),
    });
  };

  /** The graph goes out after the card; once Slack has it, the card is updated to point at it. */
  async function sendGraphOf(incident: Incident, file: GraphFile): Promise<void> {
    const threadTs = incident.slackThread?.ts;
    const id = newId();
    await enqueue({
      id,
      kind: 'graph',
      channel: channelOf(incident),
      incidentId: incident.id,
      ...(threadTs ? { threadTs } : {}),
      message: {},
      file: {
        // The outbox id in the name lets a resumed upload find itself in the thread.
        filename: file.filename.replace(/(\.png)?$/, `-${id.slice(0, 8)}.png`),
        title: file.title,
        altText: file.altText,
        pngBase64: Buffer.from(file.png).toString('base64'),
      },
    });
    const card = cards.get(incident.id);
    const graph = graphs.get(incident.id);
    if (!card || !graph) return;
    await enqueue({
      id: newId(),
      kind: 'incident',
      channel: channelOf(incident),
      incidentId: incident.id,
      ...(threadTs ? { threadTs } : {}),
      message: withGraphReference(card, graph),
    });
  }

  return {
    async incidentUpdated(view: IncidentView) {
      const message = { ...incidentMessage(view, options.clock.now()) };
      const threadTs = view.incident.slackThread?.ts;
      cards.set(view.incident.id, message);
      // After a restart the pointer comes from the stored ref: graphs holds only this process's uploads.
      const graph = graphs.get(view.incident.id) ?? (await refs.get(view.incident.id))?.graph;
      await enqueue({
        id: newId(),
        kind: 'incident',
        channel: channelOf(view.incident),
        incidentId: view.incident.id,
        ...(threadTs ? { threadTs } : {}),
        message: withGraphReference(message, graph),
        ...(view.incident.storm && !threadTs ? { storm: stormMember(view) } : {}),
      });
    },
    async threadLine(incident: Incident, text: string) {
      await enqueueInThread(incident, threadLineMessage(text));
    },
    async reviewRequest(incident: Incident, review: DryRunReview) {
      await enqueueInThread(incident, reviewMessage(review));
    },
    async announce(text: string) {
      await enqueue({
        id: newId(),
        kind: 'announce',
        channel: options.incidentChannel,
        message: { ...threadLineMessage(text) },
      });
    },
    ...(options.files ? { graph: (incident: Incident, file: GraphFile) => sendGraphOf(incident, file) } : {}),
    async resume() {
      const entries = outbox?.pending ?? [];
      for (const entry of entries) {
        resumed.add(entry.id);
        if (entry.kind === 'incident' && entry.incidentId) latest.set(entry.incidentId, entry.id);
        if (entry.kind === 'incident' && entry.storm) board.add(entry.channel, entry.storm, lineOf(entry));
      }
      // After those still to be listed (they keep their lines): the storm's incidents listed before the stop.
      const since = options.clock.now().getTime() - STORM_OVER_MS;
      for (const incident of options.openIncidents?.() ?? []) {
        const listed = incident.storm && !incident.slackThread && !incident.slackMessage;
        if (listed && Date.parse(incident.updatedAt) > since)
          board.known(channelOf(incident), memberOf(incident));
      }
      await Promise.allSettled(entries.map(deliver));
    },
  };
}
