// What the rest of Belay may ask of the state store; state-store.ts is its one implementation.
import type { z } from 'zod';
import type {
  Clock,
  Incident,
  incidentSchema,
  LedgerEntry,
  Proposal,
  ProposalState,
  proposalSchema,
  SwitchState,
} from '../../domain/index.ts';
import type { TransitionRequest, TransitionResult } from './proposal-transition.ts';
import type { ThreadRecord } from './thread-record.ts';

export interface StateStore {
  /** Why the store refuses changes (its write-failed mode, until a restart), or undefined while it accepts them. */
  writeFailure(): string | undefined;
  createProposal(proposal: z.input<typeof proposalSchema>): Promise<Proposal>;
  getProposal(id: string): Proposal | undefined;
  listProposals(filter?: { states?: readonly ProposalState[]; incidentId?: string }): Proposal[];
  /** Compare-and-set: of many concurrent calls with the same `from`, exactly one succeeds. */
  transition(id: string, request: TransitionRequest): Promise<TransitionResult>;

  ledger(): readonly LedgerEntry[];
  /** Atomic check-and-reserve: `admit` sees the ledger and no other reserve can run in between. */
  reserve(entry: LedgerEntry, admit: (ledger: readonly LedgerEntry[]) => boolean): Promise<boolean>;
  /** Gives back the slots a proposal reserved when nothing was executed after all; returns how many. */
  release(proposalId: string): Promise<number>;
  /** Drops entries older than `horizonMs` before now (the longest rate window); returns how many. */
  pruneLedger(horizonMs: number): Promise<number>;
  /**
   * Forgets (from memory) archived proposals and resolved incidents last changed more than `horizonMs` ago.
   * They stay in the archive on disk, as the audit log keeps their history for good.
   */
  pruneHistory(horizonMs: number): Promise<{ proposals: number; incidents: number }>;

  freeze(): SwitchState;
  setFreeze(state: SwitchState): Promise<void>;
  pause(): SwitchState;
  setPause(state: SwitchState): Promise<void>;

  approvedBefore(): string[];
  recordApproved(key: string): Promise<void>;

  getIncident(id: string): Incident | undefined;
  findOpenIncident(key: string): Incident | undefined;
  putIncident(incident: z.input<typeof incidentSchema>): Promise<Incident>;
  listIncidents(filter?: { status?: Incident['status'] }): Incident[];

  /** True the first time a (source, id) delivery is seen; false for a retry or duplicate. */
  markDelivery(source: string, id: string): Promise<boolean>;
  /** An incident thread's alerts and turns, kept across restarts. */
  thread(incidentId: string): ThreadRecord | undefined;
  /** Replaces a thread's record; the caller bounds it (thread-memory.ts), the schema caps it. */
  putThread(incidentId: string, record: ThreadRecord): Promise<void>;
}

export interface StateStoreOptions {
  dir: string;
  clock: Clock;
  /** How many delivery ids to remember, and for how long; whichever bound is hit first. */
  deliveryRetention?: { count: number; ms: number };
  /** Size at which the history archive starts a new segment file. */
  archiveSegmentBytes?: number;
  /** Told of every durable write, for metrics: how long it took and whether it reached the disk. */
  onWrite?: (seconds: number, ok: boolean) => void;
  /**
   * Runs before every change and throws to refuse it: the single-writer fence (this process must still
   * hold the Lease or the store lock), so a deposed Belay cannot write what the new leader also writes.
   */
  fence?: () => void;
}
