import type { CliIo } from './cli-io.ts';
import { COMMANDS, printHelp } from './commands.ts';

/** Dispatches `belay COMMAND ARGS…`; returns the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') return printHelp(io.stdout, name ? 0 : 2);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`belay: unknown command "${name}"`);
    return printHelp(io.stderr, 2);
  }
  return command.run(args, io);
}
