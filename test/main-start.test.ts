import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loadConfig, missingSecrets, readEnv } from '../src/config/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;

describe('npm start', () => {
  it('without tokens, says what to set and where the README explains it, and exits 1', () => {
    const run = spawnSync(process.execPath, ['src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, BELAY_CONFIG: 'examples/belay.yaml' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /SLACK_BOT_TOKEN \(the xoxb- bot token\)/);
    assert.match(run.stderr, /SLACK_APP_TOKEN/);
    assert.match(run.stderr, /README\.md, "Run it in your workspace"/);
  });

  it('without a config file, names the path it looked for and the example to start from', () => {
    const run = spawnSync(process.execPath, ['src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, BELAY_CONFIG: 'no-such-belay.yaml' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no-such-belay\.yaml/);
    assert.match(run.stderr, /examples\/belay\.yaml/);
  });

  it('asks HTTP mode for the signing secret instead of the app token', async () => {
    const text = (await import('node:fs/promises')).readFile(`${ROOT}examples/belay.yaml`, 'utf8');
    const loaded = loadConfig((await text).replace('mode: socket', 'mode: http'), 'belay.yaml');
    assert.ok(loaded.ok);
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-1-2' });
    assert.ok(env.ok);
    assert.deepEqual(missingSecrets(loaded.config, env.env), [
      'SLACK_SIGNING_SECRET (HTTP mode verifies every request from Slack with it)',
    ]);
  });
});
