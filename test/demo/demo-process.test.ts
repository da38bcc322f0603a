// `npm run demo` as a newcomer runs it: one process that prints its URL and start-up time, serves the page,
// needs no token, and on Ctrl-C stops everything and removes its temporary store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { demoOptions } from '../../src/demo/demo.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run demo', () => {
  it('prints the URL and its start-up time, serves the page, and stops cleanly on Ctrl-C', async () => {
    // The child sees no Slack, model or kube variables: the playground needs none.
    const child = spawn(process.execPath, ['src/demo/demo.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TMPDIR: process.env.TMPDIR ?? '/tmp',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = once(child, 'exit');
    const deadline = Date.now() + 60_000;
    while (!/ready in \d+ ms: http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
      assert.ok(
        Date.now() < deadline && child.exitCode === null,
        `no "ready" line; stdout: ${out} stderr: ${err}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [, ms, url] = /ready in (\d+) ms: (\S+)/.exec(out) ?? [];
    console.log(`# playground ready in ${ms} ms`);
    assert.match(out, /deterministic orienter/);
    const dir = /store and audit log: (\S+) /.exec(out)?.[1];
    assert.ok(dir && existsSync(join(dir, 'store', 'audit')), 'the store is under a temporary directory');
    const page = await fetch(url as string);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const state = (await (await fetch(new URL('demo/state', url))).json()) as {
      cluster: { pods: unknown[] };
    };
    assert.ok(state.cluster.pods.length > 10, 'the embedded cluster is seeded');

    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0, err);
    assert.match(out, /Stopping the playground/);
    assert.ok(dir && !existsSync(dir), `the temporary store ${dir} is removed`);
    await assert.rejects(fetch(url as string), 'the page is gone');
  });

  it('refuses a bad port, log level or model URL with what to write instead', () => {
    assert.throws(
      () => demoOptions(['--port', 'eighty'], {}),
      /--port eighty is not a TCP port: give a number from 1 to 65535/,
    );
    assert.throws(() => demoOptions(['--port', '70000'], {}), /not a TCP port/);
    assert.throws(() => demoOptions(['--colour'], {}), /Unknown option '--colour'/);
    assert.throws(
      () => demoOptions([], { LOG_LEVEL: 'loud' }),
      /LOG_LEVEL=loud is not a log level: use one of fatal, error/,
    );
    assert.throws(
      () => demoOptions([], { OPENAI_BASE_URL: 'localhost:11434' }),
      /not an http\(s\) URL: write it as http:\/\/host:port\/v1/,
    );
    assert.deepEqual(demoOptions(['--port', '8099'], {}), { port: 8099 });
    assert.deepEqual(
      demoOptions([], { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'qwen3' }),
      {
        port: 0,
        model: { baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen3' },
      },
    );
  });
});
