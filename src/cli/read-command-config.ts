import { type Config, formatConfigProblem, loadConfig } from '../config/index.ts';
import type { CliIo } from './cli-io.ts';

/**
 * The config a command runs on, or undefined after saying on stderr why there is none: every problem with
 * its line, then one line that starts with the command's own failure words ("belay explain could not
 * decide") and says what to run next.
 */
export async function readCommandConfig(
  io: CliIo,
  path: string,
  failure: string,
): Promise<Config | undefined> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    io.stderr(`${failure}: cannot read ${path}: ${(error as Error).message}`);
    return undefined;
  }
  const loaded = loadConfig(text, path);
  if (loaded.ok) return loaded.config;
  for (const problem of loaded.problems) io.stderr(formatConfigProblem(problem));
  io.stderr(
    `${failure}: ${path} is not a valid config (${loaded.problems.length} problem(s)); run belay check-config ${path}`,
  );
  return undefined;
}
