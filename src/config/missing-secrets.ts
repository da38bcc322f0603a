import type { Env } from './env.ts';
import type { Config } from './schema.ts';

/** What is missing before Belay can talk to Slack, said so a person can fix it. */
export function missingSecrets(config: Config, env: Env): string[] {
  const missing: string[] = [];
  if (!config.slack) missing.push('a `slack:` section in the config (at least incidentChannel)');
  if (!env.slack.botToken) missing.push('SLACK_BOT_TOKEN (the xoxb- bot token)');
  if ((config.slack?.mode ?? 'socket') === 'socket' && !env.slack.appToken) {
    missing.push('SLACK_APP_TOKEN (the xapp- app-level token with connections:write, for Socket Mode)');
  }
  if (config.slack?.mode === 'http' && !env.slack.signingSecret) {
    missing.push('SLACK_SIGNING_SECRET (HTTP mode verifies every request from Slack with it)');
  }
  return missing;
}
