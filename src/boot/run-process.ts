import {
  formatConfigProblem,
  missingSecrets,
  processEnvironment,
  readConfigFile,
  readProcessEnv,
} from '../config/index.ts';
import { DEFAULT_STOP_GRACE } from '../config/sections/slack.ts';
import type { BelayOptions, RunningBelay } from './belay-options.ts';

/** `npm start`: read the environment and the config, say exactly what is missing, or run until stopped. */
export async function runFromProcess(
  startBelay: (options: BelayOptions) => Promise<RunningBelay>,
): Promise<void> {
  const envResult = readProcessEnv();
  if (!envResult.ok) {
    for (const p of envResult.problems) console.error(p.message);
    process.exit(1);
  }
  const env = envResult.env;
  const path = env.configPath ?? 'belay.yaml';
  const loaded = await readConfigFile(path);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(formatConfigProblem(problem));
    console.error(
      `Belay needs a valid config file: set BELAY_CONFIG to its path (now: ${path}). examples/belay.yaml explains every option; see "Run it in your workspace" in README.md.`,
    );
    process.exit(1);
  }
  const missing = missingSecrets(loaded.config, env);
  if (missing.length > 0) {
    console.error(`Belay cannot connect to Slack yet. Set:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    console.error(
      'README.md, "Run it in your workspace", takes you from nothing to a working bot step by step.',
    );
    process.exit(1);
  }
  const running = await startBelay({ config: loaded.config, env, environment: processEnvironment() });
  const stopGrace = loaded.config.slack?.stopGrace ?? DEFAULT_STOP_GRACE;
  const stop = async () => {
    // An action being verified is let finish (the pod's terminationGracePeriodSeconds covers it); anything
    // else gets the stop grace. Kubernetes kills the pod after its grace period anyway; leaving on our own
    // says what was cut short.
    const grace = stopGrace + (running.executionsInFlight() > 0 ? running.drainDeadlineMs : 0);
    setTimeout(() => {
      console.error(
        `Belay stopped after its ${grace} ms stop grace with work unfinished; the outbox and inbox resume it at the next start.`,
      );
      process.exit(1);
    }, grace).unref();
    await running.stop().catch((error: unknown) => console.error('Belay did not stop cleanly:', error));
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
