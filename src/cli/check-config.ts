import { formatConfigProblem, readConfigFile } from '../config/index.ts';
import type { CliIo } from './cli-io.ts';
import { summarizeConfig } from './config-summary.ts';
import { ruleModeLines } from './rule-mode-lines.ts';

export const CHECK_CONFIG_USAGE = 'belay check-config FILE';

/** Validates a config file: every problem with its place on exit 1, or a summary of the policy on exit 0. */
export async function runCheckConfig(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] === undefined || args[0].startsWith('-')) {
    io.stderr(`usage: ${CHECK_CONFIG_USAGE}`);
    io.stderr('Checks a Belay policy file and reports every problem in it, each with its line.');
    return args.includes('--help') || args.includes('-h') ? 0 : 2;
  }
  const file = args[0];
  const result = await readConfigFile(file, (path) => io.readFile(path));
  if (!result.ok) {
    for (const problem of result.problems) io.stdout(formatConfigProblem(problem));
    const count = result.problems.length;
    io.stdout(`${count} problem${count === 1 ? '' : 's'} in ${file}; Belay will not start with this file.`);
    return 1;
  }
  io.stdout(`${file} is valid.`);
  for (const line of summarizeConfig(result.config)) io.stdout(line);
  for (const line of await ruleModeLines(result.config, (path) => io.readFile(path))) io.stdout(line);
  return 0;
}
