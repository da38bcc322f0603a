import { type Config, type Env, missingSecrets } from '../config/index.ts';
import { intakeSecrets } from '../config/sections/intake.ts';
import { lokiTokenFromEnv } from '../config/sections/loki.ts';
import { prometheusTokenFromEnv } from '../config/sections/prometheus.ts';
import type { SlackSection } from '../config/sections/slack.ts';

type Environment = Readonly<Record<string, string | undefined>>;
export type IntakeSecrets = Extract<ReturnType<typeof intakeSecrets>, { ok: true }>;

/** Every secret the config names, read before anything starts. */
export interface StartupSecrets {
  readonly slack: SlackSection;
  readonly botToken: string;
  readonly intake: IntakeSecrets;
  readonly prometheusToken?: string;
  readonly lokiToken?: string;
}

/** The secrets Belay needs to start, or an error naming the variable to set and the section that names it. */
export function startupSecrets(config: Config, env: Env, environment: Environment): StartupSecrets {
  const slack = config.slack;
  const botToken = env.slack.botToken;
  if (!slack || !botToken)
    throw new Error(`Belay cannot start: missing ${missingSecrets(config, env).join('; ')}`);
  const intake = intakeSecrets(config.intake, environment);
  if (!intake.ok)
    throw new Error(`Belay cannot start: set ${intake.missing.join(', ')} (named in the intake section)`);
  // A section that names no token variable (or no section at all) needs none.
  const prometheus = prometheusTokenFromEnv(config.prometheus ?? {}, environment);
  if (!prometheus.ok)
    throw new Error(`Belay cannot start: set ${prometheus.missing} (named by prometheus.bearerTokenEnv)`);
  const loki = config.loki
    ? lokiTokenFromEnv(config.loki, environment)
    : prometheusTokenFromEnv({}, environment);
  if (!loki.ok) throw new Error(`Belay cannot start: set ${loki.missing} (named by loki.bearerTokenEnv)`);
  return {
    slack,
    botToken,
    intake,
    ...('token' in prometheus && prometheus.token ? { prometheusToken: prometheus.token } : {}),
    ...('token' in loki && loki.token ? { lokiToken: loki.token } : {}),
  };
}
