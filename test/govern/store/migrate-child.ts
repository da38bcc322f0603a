// Run by state-archive.test.ts and killed with SIGKILL at random moments while it opens a store whose
// state file still holds finished history (the one-time move to the archive).
import { systemClock } from '../../../src/domain/index.ts';
import { createStateStore } from '../../../src/govern/store/index.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: migrate-child.ts DIR');
// Small archive segments, so the move also crosses segment boundaries.
await createStateStore({ dir, clock: systemClock, archiveSegmentBytes: 200_000 });
process.stdout.write('opened\n');
