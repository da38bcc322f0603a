import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import {
  createAuditLog,
  createRuleRecordsStore,
  createSlackOutboxFile,
  createStateStore,
  createWriteWatch,
} from '../govern/store/index.ts';
import { type BelayMetrics, recordAuditEvent } from '../metrics/index.ts';
import { withAuditMetrics } from './audit-metrics.ts';
import { noteDryRunRules } from './rule-records.ts';

/**
 * Belay's files under `store.dir`, each write fenced on still holding the lease and timed for metrics: the
 * live state, the audit log, the Slack outbox (every message recorded before it is sent; what the last run
 * did not send is resumed) and the rule records (promotions, dry-run reviews and outcomes).
 */
export async function openStores(options: {
  readonly config: Config;
  readonly clock: Clock;
  readonly fence: () => void;
  readonly metrics: BelayMetrics;
}) {
  const { config, clock, fence, metrics } = options;
  const store = await createStateStore({
    dir: config.store.dir,
    clock,
    onWrite: (seconds, ok) => metrics.storeWrite('state', seconds, ok),
    fence,
  });
  const audit = withAuditMetrics(
    await createAuditLog({ dir: join(config.store.dir, 'audit'), clock, fence }),
    (event) =>
      recordAuditEvent(metrics, event, (id) => (id ? store.getProposal(id)?.action.kind : undefined)),
    (seconds, ok) => metrics.storeWrite('audit', seconds, ok),
  );
  const outbox = await createSlackOutboxFile({ dir: join(config.store.dir, 'outbox') });
  const records = await createRuleRecordsStore({ dir: config.store.dir, fence });
  await noteDryRunRules(config, records, clock);
  return { store, audit, writes: createWriteWatch(), outbox, records };
}
