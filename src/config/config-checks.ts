import type { ConfigIssue } from './config-problem.ts';
import type { Config } from './schema.ts';
import { checkWindowSchedules } from './window-schedule-check.ts';

/** A check zod cannot express: it sees the parsed config and names the paths it objects to. */
export type ConfigCheck = (config: Config) => readonly ConfigIssue[];

/** Run by loadConfig after the schema accepts the file; add a check here to make every loader run it. */
export const DEFAULT_CONFIG_CHECKS: readonly ConfigCheck[] = [checkWindowSchedules];
