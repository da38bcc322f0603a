// What the notifier keeps before it sends: the outbox's entries and where each incident's message lives.
import type { GraphReference } from './blocks/graph-reference.ts';
import type { StormMember } from './blocks/storm-message.ts';
import type { OutboxFile } from './graph-upload.ts';

/** Where an incident's message lives: the message to update, the thread its events go to, its graph. */
export interface IncidentMessageRef {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string;
  /** The graph uploaded into the thread, which the message points at. */
  readonly graph?: GraphReference;
}

/** Persists message refs (govern's store), so a restart updates the same message instead of posting again. */
export interface IncidentMessageRefs {
  get(incidentId: string): Promise<IncidentMessageRef | undefined>;
  set(incidentId: string, ref: IncidentMessageRef): Promise<void>;
}

/** One message or update Belay means to send, as the outbox keeps it. */
export interface SlackOutboxEntry {
  readonly id: string;
  readonly kind: 'incident' | 'thread' | 'announce' | 'graph';
  readonly channel: string;
  readonly incidentId?: string;
  /** The alert message's thread, for an incident that came from a channel. */
  readonly threadTs?: string;
  readonly message: Record<string, unknown>;
  /** Set while the incident is part of a storm: it is counted in the storm message, not posted alone. */
  readonly storm?: StormMember;
  /** A graph for the incident's thread: the PNG as base64, so a restart still sends it. */
  readonly file?: OutboxFile;
}

/** Durable record of what is to be sent (the composition root wires a file): put before, sent after. */
export interface SlackOutbox {
  readonly pending: readonly SlackOutboxEntry[];
  record(entry: SlackOutboxEntry): Promise<void>;
  sent(id: string): Promise<void>;
}
