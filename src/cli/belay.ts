#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { processEnvironment } from '../config/index.ts';
import type { CliIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

// The process edge of the CLI: real streams and files in, an exit code out. Everything else is in runCli.
if (import.meta.main) {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: async (path, data) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    },
    env: processEnvironment(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
