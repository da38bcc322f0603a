import type { Config } from '../config/index.ts';
import { readRuleRecords } from '../govern/store/index.ts';

/**
 * For check-config: the rules whose mode Belay's state overrides (promoted with /remediate promote, or
 * demoted after a failed or reverted automatic action), read from store.dir without writing anything.
 */
export async function ruleModeLines(
  config: Pick<Config, 'rules' | 'store'>,
  read: (path: string) => Promise<string>,
): Promise<string[]> {
  let records: Awaited<ReturnType<typeof readRuleRecords>>;
  try {
    records = await readRuleRecords(config.store.dir, read);
  } catch (error) {
    return [`warning: the rule modes in Belay's state cannot be read: ${(error as Error).message}`];
  }
  const overrides = Object.values(records?.modes ?? {});
  if (overrides.length === 0) return [];
  const fileMode = new Map(config.rules.map((r) => [r.name, r.mode]));
  return [
    `rule modes set in Belay's state (${overrides.length}), used instead of this file's:`,
    ...overrides.map((o) => {
      const by = o.by.type === 'user' ? o.by.id : 'Belay';
      const file = fileMode.get(o.rule);
      const source = file === undefined ? 'no longer in this file, so unused' : `this file says ${file}`;
      return `  ${o.rule}  ${o.mode} (${o.change} from ${o.previous} by ${by} at ${o.at}: ${o.why}; ${source})`;
    }),
  ];
}
