import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readEnv } from '../../src/config/index.ts';

const BOT = 'xoxb-1234-5678-abcdefGHIJ';
const APP = 'xapp-1-A0123-4567-abcdef';

describe('readEnv', () => {
  it('treats every variable as optional and defaults the log level', () => {
    const result = readEnv({});
    assert.ok(result.ok);
    assert.equal(result.env.logLevel, 'info');
    assert.equal(result.env.slack.botToken, undefined);
    assert.equal(result.env.configPath, undefined);
  });

  it('reads secrets and settings into their places, ignoring every other variable', () => {
    const result = readEnv({
      BELAY_CONFIG: '/etc/belay/belay.yaml',
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_SIGNING_SECRET: 'signing',
      OPENAI_API_KEY: 'sk-test',
      LOG_LEVEL: 'DEBUG',
      PATH: '/usr/bin',
      HOME: '/root',
    });
    assert.ok(result.ok);
    assert.deepEqual(result.env, {
      configPath: '/etc/belay/belay.yaml',
      logLevel: 'debug',
      slack: { botToken: BOT, appToken: APP, signingSecret: 'signing' },
      openai: { apiKey: 'sk-test' },
    });
    assert.ok(Object.isFrozen(result.env) && Object.isFrozen(result.env.slack));
  });

  it('treats a variable set to nothing as unset', () => {
    const result = readEnv({ SLACK_BOT_TOKEN: '', OPENAI_API_KEY: '  ', LOG_LEVEL: '' });
    assert.ok(result.ok);
    assert.equal(result.env.slack.botToken, undefined);
    assert.equal(result.env.openai.apiKey, undefined);
    assert.equal(result.env.logLevel, 'info');
  });

  it('refuses tokens of the wrong shape, naming the variable and the expected prefix', () => {
    const result = readEnv({ SLACK_BOT_TOKEN: APP, SLACK_APP_TOKEN: BOT, LOG_LEVEL: 'loud' });
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map((p) => p.variable), [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'LOG_LEVEL',
    ]);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    assert.match(messages[0] ?? '', /^SLACK_BOT_TOKEN does not look like a bot token \(xoxb-…\)/);
    assert.match(messages[1] ?? '', /^SLACK_APP_TOKEN does not look like an app-level token \(xapp-…\)/);
    assert.match(messages[2] ?? '', /^LOG_LEVEL is not a log level; use one of: fatal, error, warn, info/);
  });

  it('never echoes a secret value, or any part of it, in a message', () => {
    const hostile = {
      SLACK_BOT_TOKEN: 'xoxp-SECRETVALUE1-leaked',
      SLACK_APP_TOKEN: 'SECRETVALUE2 ',
      SLACK_SIGNING_SECRET: ' SECRETVALUE3',
      OPENAI_API_KEY: 'sk-SECRETVALUE4\n',
    };
    const result = readEnv(hostile);
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    assert.equal(problems.length, 4, 'each bad secret is reported');
    const text = JSON.stringify(problems);
    assert.doesNotMatch(text, /SECRETVALUE|xoxp|leaked|sk-/);
    assert.match(problems[1]?.message ?? '', /has spaces or a line break around it/);
  });

  it('readProcessEnv reads the real process environment (a child process with its own)', async () => {
    const script = [
      "import { readProcessEnv } from './src/config/index.ts';",
      'const r = readProcessEnv();',
      'console.log(JSON.stringify(r.ok ? r.env.slack : r.problems.map((p) => p.message)));',
    ].join('\n');
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: new URL('../../', import.meta.url),
        env: { ...env },
      });
    const bad = await run({ SLACK_BOT_TOKEN: 'xoxp-SECRETVALUE' });
    assert.doesNotMatch(bad.stdout, /SECRETVALUE/);
    assert.match(bad.stdout, /SLACK_BOT_TOKEN does not look like a bot token/);
  });
});
