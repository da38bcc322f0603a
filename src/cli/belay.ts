#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { processEnvironment } from '../config/index.ts';
import type { CliIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

// The process edge of the CLI: real streams and files in, an exit code out. Everything else is in runCli.
if (import.meta.main) {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => readFile(path, 'utf8'),
    env: processEnvironment(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
