/** What a command may touch: two output streams and the files it is told to read. Tests pass their own. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  readFile(path: string): Promise<string>;
  /** Writes a file the command was told to write (`simulate --graph DIR`), creating its folder. */
  writeFile?(path: string, data: Uint8Array): Promise<void>;
  /** The environment, for secrets the config names by variable (belay explain's Prometheus token). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A subcommand: `run` returns the exit code (0 ok, 1 the input is wrong, 2 the command line is wrong). */
export interface CliCommand {
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
