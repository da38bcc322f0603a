#!/usr/bin/env node
// `npm run demo`: the playground, as one command. Prints the page's URL and how long start-up took, and
// stops everything (Belay, the embedded servers, the temporary store) on Ctrl-C.
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel, processEnvironment } from '../config/index.ts';
import { type PlaygroundOptions, startPlayground } from './playground.ts';

/** The playground's options from its command line and environment; a bad value is an error that says why. */
export function demoOptions(
  args: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): PlaygroundOptions {
  const { values } = parseArgs({ args: [...args], options: { port: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(
      `--port ${values.port} is not a TCP port: give a number from 1 to 65535, or leave it out for a free one`,
    );
  const level = environment.LOG_LEVEL;
  if (level !== undefined && level !== '' && !(LOG_LEVELS as readonly string[]).includes(level))
    throw new Error(`LOG_LEVEL=${level} is not a log level: use one of ${LOG_LEVELS.join(', ')}`);
  const baseURL = environment.OPENAI_BASE_URL;
  if (baseURL && !/^https?:\/\//.test(baseURL))
    throw new Error(`OPENAI_BASE_URL=${baseURL} is not an http(s) URL: write it as http://host:port/v1`);
  return {
    port,
    ...(level ? { logLevel: level as LogLevel } : {}),
    ...(baseURL
      ? {
          model: {
            baseURL,
            model: environment.OPENAI_MODEL || 'gpt-4.1-mini',
            ...(environment.OPENAI_API_KEY ? { apiKey: environment.OPENAI_API_KEY } : {}),
          },
        }
      : {}),
  };
}

async function main(): Promise<void> {
  const options = demoOptions(process.argv.slice(2), processEnvironment());
  const playground = await startPlayground(options);
  // From the start of the process: loading the modules is part of what a newcomer waits for.
  const ms = Math.round(performance.now());
  console.log(`Belay's playground is ready in ${ms} ms: ${playground.url}`);
  console.log(
    options.model
      ? `Investigating with the model ${options.model.model} at ${options.model.baseURL}.`
      : 'Investigating with the deterministic orienter (set OPENAI_BASE_URL to use a model).',
  );
  console.log(`Belay's store and audit log: ${playground.dir} (removed when the playground stops).`);
  console.log('Open the page, fire an alert from the panel, and act as each person. Ctrl-C stops it.');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the playground…');
    playground.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('The playground did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`The playground did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
