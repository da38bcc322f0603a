import { z } from 'zod';
import { deepFreeze } from './deep-freeze.ts';

// The environment carries secrets and deployment settings only; policy lives in belay.yaml. Every variable
// is optional here: which ones a run needs depends on its mode, and that is decided where the mode is known.
// No message ever contains a value: these are credentials, and error text ends up in logs and chat.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An unset variable and one set to nothing (`FOO=` in an env file) mean the same: not configured. */
const blankIsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

function secret(shape?: { prefix: string; what: string; where: string }) {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .superRefine((value, ctx) => {
        if (value !== value.trim()) {
          ctx.addIssue({
            code: 'custom',
            message: 'has spaces or a line break around it (often pasted from a file); remove them',
          });
        } else if (shape && !new RegExp(`^${shape.prefix}[A-Za-z0-9-]+$`).test(value)) {
          ctx.addIssue({
            code: 'custom',
            message: `does not look like ${shape.what} (${shape.prefix}…); ${shape.where}`,
          });
        }
      })
      .optional(),
  );
}

const envSchema = z.object({
  BELAY_CONFIG: z.preprocess(blankIsUnset, z.string().optional()),
  SLACK_BOT_TOKEN: secret({
    prefix: 'xoxb-',
    what: 'a bot token',
    where: "copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page",
  }),
  SLACK_APP_TOKEN: secret({
    prefix: 'xapp-',
    what: 'an app-level token',
    where: "create one with the connections:write scope on the Slack app's Basic Information page",
  }),
  SLACK_SIGNING_SECRET: secret(),
  OPENAI_API_KEY: secret(),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof blankIsUnset(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
    z
      .enum(LOG_LEVELS, { message: `is not a log level; use one of: ${LOG_LEVELS.join(', ')}` })
      .default('info'),
  ),
});
export type EnvVariable = keyof z.input<typeof envSchema>;
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

export interface Env {
  /** Path of belay.yaml. */
  readonly configPath?: string;
  readonly logLevel: LogLevel;
  readonly slack: { readonly botToken?: string; readonly appToken?: string; readonly signingSecret?: string };
  readonly openai: { readonly apiKey?: string };
}

export interface EnvProblem {
  readonly variable: EnvVariable;
  /** Names the variable and what is wrong; never contains its value. */
  readonly message: string;
}

export type ReadEnvResult =
  | { readonly ok: true; readonly env: Env }
  | { readonly ok: false; readonly problems: readonly EnvProblem[] };

/** Reads Belay's variables from an environment; every other variable is ignored. */
export function readEnv(env: Readonly<Record<string, string | undefined>>): ReadEnvResult {
  const picked = Object.fromEntries(ENV_VARIABLES.map((name) => [name, env[name]]));
  const result = envSchema.safeParse(picked);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => {
        const variable = issue.path[0] as EnvVariable;
        // Built from our own wording only: zod's default text could quote the input.
        const why =
          issue.code === 'custom' || issue.code === 'invalid_value' ? issue.message : 'must be text';
        return { variable, message: `${variable} ${why}` };
      }),
    };
  }
  const v = result.data;
  return {
    ok: true,
    env: deepFreeze({
      configPath: v.BELAY_CONFIG,
      logLevel: v.LOG_LEVEL,
      slack: {
        botToken: v.SLACK_BOT_TOKEN,
        appToken: v.SLACK_APP_TOKEN,
        signingSecret: v.SLACK_SIGNING_SECRET,
      },
      openai: { apiKey: v.OPENAI_API_KEY },
    }),
  };
}

/** The one place Belay reads process.env. */
export function readProcessEnv(): ReadEnvResult {
  return readEnv(process.env);
}

/**
 * The raw environment, for the secrets the config file names by variable (the intake section's
 * `tokenEnv`, `webhookSecretsEnv`, …). A frozen copy, so nothing downstream writes to process.env.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return Object.freeze({ ...process.env });
}
