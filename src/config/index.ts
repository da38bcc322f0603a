export { checkAddedWindow } from './check-added-windows.ts';
export { type ConfigCheck, DEFAULT_CONFIG_CHECKS } from './config-checks.ts';
export {
  type ConfigIssue,
  type ConfigPath,
  type ConfigProblem,
  formatConfigPath,
  formatConfigProblem,
} from './config-problem.ts';
export {
  ENV_VARIABLES,
  type Env,
  type EnvProblem,
  type EnvVariable,
  LOG_LEVELS,
  type LogLevel,
  processEnvironment,
  type ReadEnvResult,
  readEnv,
  readProcessEnv,
} from './env.ts';
export { type LoadConfigOptions, type LoadConfigResult, loadConfig, readConfigFile } from './load-config.ts';
export { missingSecrets } from './missing-secrets.ts';
export { type Config, type ConfigInput, configSchema, storeSectionSchema } from './schema.ts';
export { checkWindowSchedules } from './window-schedule-check.ts';
export {
  isKnownTimeZone,
  timingProblems,
  type WindowTiming,
  windowTiming,
  windowTimingProblems,
} from './window-timing.ts';
