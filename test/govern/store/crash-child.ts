// Run by crash.test.ts and killed with SIGKILL at random moments: appends audit records and changes state
// as fast as it can, printing each seq only after its write resolved ("acknowledged").
import { join } from 'node:path';
import { systemClock } from '../../../src/domain/index.ts';
import { createAuditLog, createStateStore } from '../../../src/govern/store/index.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-child.ts DIR');

const log = await createAuditLog({ dir: join(dir, 'audit'), clock: systemClock, segmentBytes: 1_000 });
const store = await createStateStore({ dir, clock: systemClock });
const actor = { type: 'bot', id: 'crash-child' } as const;

for (;;) {
  // Several writes in flight at once, as in production: group commit and segment rollover under load.
  const appends = [1, 2, 3].map(async () => {
    const record = await log.append({
      type: 'verdict',
      actor,
      summary: 'crash test',
      data: { pid: process.pid },
    });
    process.stdout.write(`audit ${record.seq}\n`);
    return record.seq;
  });
  const seq = log.lastSeq();
  const state = (async () => {
    await store.recordApproved(`key-${seq}`);
    await store.setFreeze({ active: seq % 2 === 0, reason: `seq ${seq}` });
    process.stdout.write(`state ${seq}\n`);
  })();
  await Promise.all([...appends, state]);
}
