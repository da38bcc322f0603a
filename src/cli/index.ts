export { CHECK_CONFIG_USAGE, runCheckConfig } from './check-config.ts';
export type { CliCommand, CliIo } from './cli-io.ts';
export { COMMANDS, printHelp } from './commands.ts';
export { summarizeConfig } from './config-summary.ts';
export { runCli } from './run-cli.ts';
