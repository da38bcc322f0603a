// `npm run bench`: every benchmark in bench/, one after another (they would skew each other in parallel),
// each in its own process. Exits non-zero when any benchmark missed its target or failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== self)
  .sort();
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(here, name)], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (${run.signal ?? `exit ${run.status}`})`);
}
console.log(
  failed.length === 0 ? '\nall benchmarks met their targets' : `\nmissed or failed: ${failed.join(', ')}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
