import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { actionOutcomeSchema, dryRunReviewSchema, modeOverrideSchema } from '../../domain/index.ts';
import { StoreError } from './store-error.ts';

export const RULE_RECORDS_FILE_NAME = 'rule-records.json';
export const RULE_RECORDS_SCHEMA_VERSION = 1;

export const ruleRecordsFileSchema = z
  .object({
    schemaVersion: z.literal(RULE_RECORDS_SCHEMA_VERSION),
    /** The mode each rule runs in instead of the policy file's, by rule name. */
    modes: z.record(z.string(), modeOverrideSchema),
    /** When Belay first ran each rule in dry-run, by rule name: the start of its record. */
    dryRunSince: z.record(z.string(), z.iso.datetime({ offset: true })),
    /** Would-have actions posted for review, by review id. */
    reviews: z.record(z.string(), dryRunReviewSchema),
    /** Outcomes of actions that ran, by proposal id. */
    outcomes: z.record(z.string(), actionOutcomeSchema),
  })
  .strict();
export type RuleRecordsFile = z.infer<typeof ruleRecordsFileSchema>;

export function emptyRuleRecords(): RuleRecordsFile {
  return {
    schemaVersion: RULE_RECORDS_SCHEMA_VERSION,
    modes: {},
    dryRunSince: {},
    reviews: {},
    outcomes: {},
  };
}

const advice = (file: string) =>
  `Restore ${file} from backup, or move it aside to start with no promotions, reviews or outcomes (every rule then runs in its policy file's mode).`;

/** Validates what the file holds; a damaged file is an error naming it (it holds promotions, not a cache). */
export function validateRuleRecords(file: string, raw: unknown): RuleRecordsFile {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RULE_RECORDS_SCHEMA_VERSION) {
    throw new StoreError(
      'corrupt-file',
      `${file} has schema version ${JSON.stringify(version)}; this Belay reads version ${RULE_RECORDS_SCHEMA_VERSION}. ${advice(file)}`,
      { file },
    );
  }
  const parsed = ruleRecordsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreError(
      'corrupt-file',
      `${file} is not valid:\n${z.prettifyError(parsed.error)}\n${advice(file)}`,
      {
        file,
      },
    );
  }
  return parsed.data;
}

/** The records as the file holds them now, read and never written (check-config); undefined when absent. */
export async function readRuleRecords(
  dir: string,
  read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
): Promise<RuleRecordsFile | undefined> {
  const file = join(dir, RULE_RECORDS_FILE_NAME);
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError('corrupt-file', `${file} cannot be read: ${(error as Error).message}`, {
      file,
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new StoreError(
      'corrupt-file',
      `${file} is not JSON: ${(cause as Error).message}. ${advice(file)}`,
      {
        file,
        cause,
      },
    );
  }
  return validateRuleRecords(file, raw);
}
