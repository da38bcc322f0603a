import { z } from 'zod';
import {
  incidentSchema,
  type LedgerEntry,
  ledgerEntrySchema,
  proposalSchema,
  switchStateSchema,
} from '../../domain/index.ts';
import { createDeliveryIds } from './delivery-ids.ts';
import { withStoredMessageRef } from './message-ref.ts';
import type { StateStore, StateStoreOptions } from './state-store-port.ts';

export { DEFAULT_DELIVERY_RETENTION } from './delivery-ids.ts';
export type { StateStore, StateStoreOptions } from './state-store-port.ts';

import { applyTransition, type TransitionResult } from './proposal-transition.ts';
import { type ArchivedItem, FINISHED_STATES, openStateArchive } from './state-archive.ts';
import { openStateFile, type StateFile } from './state-file.ts';
import { StoreError } from './store-error.ts';
import { threadRecordSchema } from './thread-record.ts';

/**
 * What is live (open incidents, pending and running proposals, the rate ledger, freeze/pause, novelty,
 * deliveries) in one lowdb file; finished proposals and resolved incidents in the append-only archive
 * (state-archive.ts), read through the same getters. Every mutation checks and changes the in-memory data
 * synchronously (so concurrent callers see each other's effect at once: compare-and-set without locks),
 * then awaits the durable writes: the archive first, then the state file, so a crash between the two
 * leaves an item in both (the next start removes it from the state file) and never in neither.
 */
export async function createStateStore(options: StateStoreOptions): Promise<StateStore> {
  const { clock } = options;
  const { db, file } = await openStateFile(options.dir);
  const archive = await openStateArchive(options.dir, options.archiveSegmentBytes);
  const data: StateFile = db.data;
  const deliveries = createDeliveryIds(() => data.deliveries, options.deliveryRetention);
  let failure: StoreError | undefined;

  function ensureWritable(): void {
    if (failure) throw failure;
    options.fence?.();
  }

  async function persist(): Promise<void> {
    const started = performance.now();
    try {
      await db.write();
      options.onWrite?.((performance.now() - started) / 1_000, true);
    } catch (cause) {
      options.onWrite?.((performance.now() - started) / 1_000, false);
      // Memory is now ahead of the disk; refusing further changes keeps anyone from acting on state
      // that a restart would forget.
      failure = new StoreError(
        'write-failed',
        `Could not write the state file ${file}: ${(cause as Error).message}. The last change is not on disk and ` +
          'the store refuses further changes until Belay restarts. Check the volume (full? read-only?).',
        { file, cause },
      );
      throw failure;
    }
  }

  function validated<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new StoreError(
        'invalid-record',
        `Refused ${what}; nothing was written:\n${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  const now = () => clock.now();

  /** Moves finished items out of the live state: archive (durably), then the state file. */
  async function retire(items: readonly ArchivedItem[]): Promise<void> {
    const fresh = items.filter((item) => !archive.has(item));
    let live = false;
    for (const item of items) {
      const table: Record<string, unknown> = item.kind === 'proposal' ? data.proposals : data.incidents;
      if (table[item.value.id] !== undefined) live = true;
      delete table[item.value.id];
    }
    try {
      await archive.add(fresh);
    } catch (cause) {
      failure = cause instanceof StoreError ? cause : failure;
      throw cause;
    }
    if (live) await persist();
  }

  // A state file from before the archive (or a crash between archiving and the state write) may still hold
  // finished items: move them now, once. Items the archive already has are not written twice.
  const leftovers: ArchivedItem[] = [
    ...Object.values(data.proposals)
      .filter((p) => FINISHED_STATES.has(p.state))
      .map((value) => ({ kind: 'proposal' as const, value })),
    ...Object.values(data.incidents)
      .filter((i) => i.status === 'resolved')
      .map((value) => ({ kind: 'incident' as const, value })),
  ];
  if (leftovers.length > 0) await retire(leftovers);

  return {
    writeFailure: () => failure?.message,
    async createProposal(input) {
      ensureWritable();
      const proposal = validated(proposalSchema, input, 'a proposal');
      if (proposal.state !== 'proposed') {
        throw new StoreError(
          'invalid-record',
          `Refused proposal ${proposal.id}: it must start in state "proposed", not "${proposal.state}".`,
        );
      }
      if (data.proposals[proposal.id] || archive.proposals.has(proposal.id)) {
        throw new StoreError(
          'conflict',
          `Refused proposal ${proposal.id}: a proposal with that id already exists.`,
        );
      }
      data.proposals[proposal.id] = proposal;
      await persist();
      return structuredClone(proposal);
    },

    getProposal: (id) => clone(data.proposals[id] ?? archive.proposals.get(id)),

    listProposals(filter = {}) {
      const onlyLive = filter.states?.every((state) => !FINISHED_STATES.has(state)) ?? false;
      const all = onlyLive
        ? data.proposals
        : { ...Object.fromEntries(archive.proposals.values().map((p) => [p.id, p])), ...data.proposals };
      return Object.values(all)
        .filter((p) => !filter.states || filter.states.includes(p.state))
        .filter((p) => filter.incidentId === undefined || p.incidentId === filter.incidentId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((p) => structuredClone(p));
    },

    async transition(id, request) {
      ensureWritable();
      let result: TransitionResult;
      const archived = data.proposals[id] === undefined;
      try {
        result = applyTransition(
          data.proposals[id] ?? archive.proposals.get(id),
          request,
          now().toISOString(),
        );
      } catch (cause) {
        throw new StoreError(
          'invalid-record',
          `Refused transition of proposal ${id}: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      if (!result.ok) return result;
      if (archived || FINISHED_STATES.has(result.proposal.state)) {
        // Revert of an archived proposal, or a proposal finishing: the archive holds its new version.
        await retire([{ kind: 'proposal', value: result.proposal }]);
      } else {
        data.proposals[id] = result.proposal;
        await persist();
      }
      return { ok: true, proposal: structuredClone(result.proposal) };
    },

    ledger: () => structuredClone(data.ledger),

    async reserve(entry, admit) {
      ensureWritable();
      const parsed = validated(ledgerEntrySchema, entry, 'a rate-ledger entry');
      if (!admit(structuredClone(data.ledger))) return false;
      data.ledger.push(parsed);
      await persist();
      return true;
    },

    async release(proposalId) {
      return removeLedger((e) => e.proposalId === proposalId);
    },

    async pruneLedger(horizonMs) {
      const cutoff = now().getTime() - horizonMs;
      return removeLedger((e) => Date.parse(e.at) < cutoff);
    },

    async pruneHistory(horizonMs) {
      ensureWritable();
      const cutoff = now().getTime() - horizonMs;
      let proposals = 0;
      for (const p of archive.proposals.values()) {
        if (Date.parse(p.updatedAt) < cutoff && archive.proposals.delete(p.id)) proposals++;
      }
      const withProposals = new Set(Object.values(data.proposals).map((p) => p.incidentId));
      let incidents = 0;
      for (const i of archive.incidents.values()) {
        if (Date.parse(i.updatedAt) < cutoff && !withProposals.has(i.id) && archive.incidents.delete(i.id)) {
          incidents++;
          if (data.threads[i.id]) delete data.threads[i.id];
        }
      }
      return { proposals, incidents };
    },

    freeze: () => structuredClone(data.freeze),
    async setFreeze(state) {
      ensureWritable();
      data.freeze = validated(switchStateSchema, state, 'a freeze state');
      await persist();
    },
    pause: () => structuredClone(data.pause),
    async setPause(state) {
      ensureWritable();
      data.pause = validated(switchStateSchema, state, 'a pause state');
      await persist();
    },

    approvedBefore: () => [...data.approvedBefore],
    async recordApproved(key) {
      ensureWritable();
      if (key.length === 0) throw new StoreError('invalid-record', 'Refused an empty novelty key.');
      if (data.approvedBefore.includes(key)) return;
      data.approvedBefore.push(key);
      await persist();
    },

    getIncident: (id) => clone(data.incidents[id] ?? archive.incidents.get(id)),
    findOpenIncident: (key) =>
      clone(Object.values(data.incidents).find((i) => i.key === key && i.status === 'open')),
    async putIncident(input) {
      ensureWritable();
      const incident = withStoredMessageRef(
        validated(incidentSchema, input, 'an incident'),
        data.incidents[input.id]?.slackMessage,
      );
      if (incident.status === 'resolved') {
        await retire([{ kind: 'incident', value: incident }]);
      } else {
        data.incidents[incident.id] = incident;
        await persist();
      }
      return structuredClone(incident);
    },
    listIncidents(filter = {}) {
      const all =
        filter.status === 'open'
          ? data.incidents
          : { ...Object.fromEntries(archive.incidents.values().map((i) => [i.id, i])), ...data.incidents };
      return Object.values(all)
        .filter((i) => filter.status === undefined || i.status === filter.status)
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
        .map((i) => structuredClone(i));
    },

    thread: (incidentId) => clone(data.threads[incidentId]),
    async putThread(incidentId, record) {
      ensureWritable();
      data.threads[incidentId] = validated(
        threadRecordSchema,
        record,
        `the thread of incident ${incidentId}`,
      );
      await persist();
    },

    async markDelivery(source, id) {
      ensureWritable();
      if (!deliveries.admit(source, id, now())) return false;
      await persist();
      return true;
    },
  };

  async function removeLedger(drop: (entry: LedgerEntry) => boolean): Promise<number> {
    ensureWritable();
    const before = data.ledger.length;
    data.ledger = data.ledger.filter((e) => !drop(e));
    const removed = before - data.ledger.length;
    if (removed > 0) await persist();
    return removed;
  }
}

function clone<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
