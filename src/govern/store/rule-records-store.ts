import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { z } from 'zod';
import {
  type ActionOutcome,
  actionOutcomeSchema,
  type DryRunReview,
  dryRunReviewSchema,
  type ModeOverride,
  modeOverrideSchema,
  type RuleMode,
} from '../../domain/index.ts';
import { DurableFile } from './durable-file.ts';
import {
  emptyRuleRecords,
  RULE_RECORDS_FILE_NAME,
  type RuleRecordsFile,
  validateRuleRecords,
} from './rule-records-file.ts';
import { StoreError } from './store-error.ts';

/** What Belay has learned about its rules: modes in force, dry-run reviews, outcomes of what ran. */
export interface RuleRecordsStore {
  /** The promoted or demoted mode of each rule that has one, by rule name. */
  modes(): Record<string, RuleMode>;
  override(rule: string): ModeOverride | undefined;
  setMode(override: ModeOverride): Promise<void>;
  dryRunSince(rule: string): string | undefined;
  /** Remembers when a rule was first seen in dry-run; later calls keep the first time. */
  noteDryRun(rule: string, at: string): Promise<void>;
  addReview(review: DryRunReview): Promise<void>;
  review(id: string): DryRunReview | undefined;
  reviews(rule?: string): DryRunReview[];
  /** Compare-and-set: the first answer is kept; a later one gets `{ ok: false }` and the review as it stands. */
  answerReview(
    id: string,
    answer: NonNullable<DryRunReview['answer']>,
  ): Promise<{ ok: boolean; review: DryRunReview | undefined }>;
  putOutcome(outcome: ActionOutcome): Promise<void>;
  outcome(proposalId: string): ActionOutcome | undefined;
  outcomes(filter?: { rule?: string; open?: boolean }): ActionOutcome[];
}

/**
 * dir/rule-records.json, written durably (temp file, rename, fsync) like the state file and fenced the same
 * way: a deposed Belay cannot promote. A file that does not validate stops startup with what to do.
 */
export async function createRuleRecordsStore(options: {
  readonly dir: string;
  readonly fence?: () => void;
}): Promise<RuleRecordsStore> {
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, RULE_RECORDS_FILE_NAME);
  const adapter = new DurableFile<unknown>(file, {
    parse: JSON.parse,
    serialize: (d) => [Buffer.from(JSON.stringify(d))],
  });
  let raw: unknown;
  try {
    raw = await adapter.read();
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `${file} cannot be read: ${(cause as Error).message}. Restore it from backup, or move it aside to start with no promotions, reviews or outcomes.`,
      { file, cause },
    );
  }
  const db = new Low<RuleRecordsFile>(
    adapter as DurableFile<RuleRecordsFile>,
    raw === null ? emptyRuleRecords() : validateRuleRecords(file, raw),
  );
  if (raw === null) await db.write();
  const data = db.data;

  async function write<S extends z.ZodType>(schema: S, value: unknown, what: string): Promise<z.infer<S>> {
    options.fence?.();
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new StoreError('invalid-record', `Refused ${what}; nothing was written: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  return {
    modes: () => Object.fromEntries(Object.values(data.modes).map((o) => [o.rule, o.mode])),
    override: (rule) => clone(data.modes[rule]),
    async setMode(override) {
      const valid = await write(modeOverrideSchema, override, `the mode of rule ${override.rule}`);
      data.modes[valid.rule] = valid;
      await db.write();
    },
    dryRunSince: (rule) => data.dryRunSince[rule],
    async noteDryRun(rule, at) {
      if (data.dryRunSince[rule] !== undefined) return;
      options.fence?.();
      data.dryRunSince[rule] = new Date(at).toISOString();
      await db.write();
    },
    async addReview(review) {
      const valid = await write(dryRunReviewSchema, review, 'a dry-run review');
      if (data.reviews[valid.id]) {
        throw new StoreError('conflict', `Refused review ${valid.id}: a review with that id already exists.`);
      }
      data.reviews[valid.id] = valid;
      await db.write();
    },
    review: (id) => clone(data.reviews[id]),
    reviews: (rule) =>
      Object.values(data.reviews)
        .filter((r) => rule === undefined || r.rule === rule)
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((r) => structuredClone(r)),
    async answerReview(id, answer) {
      options.fence?.();
      const current = data.reviews[id];
      if (!current || current.answer) return { ok: false, review: clone(current) };
      const answered = await write(dryRunReviewSchema, { ...current, answer }, `the answer to review ${id}`);
      data.reviews[id] = answered;
      await db.write();
      return { ok: true, review: structuredClone(answered) };
    },
    async putOutcome(outcome) {
      const valid = await write(
        actionOutcomeSchema,
        outcome,
        `the outcome of proposal ${outcome.proposalId}`,
      );
      data.outcomes[valid.proposalId] = valid;
      await db.write();
    },
    outcome: (proposalId) => clone(data.outcomes[proposalId]),
    outcomes: (filter = {}) =>
      Object.values(data.outcomes)
        .filter((o) => filter.rule === undefined || o.rule === filter.rule)
        .filter((o) => filter.open === undefined || o.final === !filter.open)
        .sort((a, b) => a.executedAt.localeCompare(b.executedAt))
        .map((o) => structuredClone(o)),
  };
}

function clone<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
