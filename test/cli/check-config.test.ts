import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type CliIo, runCli } from '../../src/cli/index.ts';

const ROOT = new URL('../../', import.meta.url);

/** An in-memory terminal: files from a record (or the real disk for the example), output captured. */
function terminal(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readFile: async (path) => {
      const text = files[path];
      if (text !== undefined) return text;
      if (path === 'examples/belay.yaml') return readFile(new URL(path, ROOT), 'utf8');
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
  };
  return { io, out, err };
}

const BROKEN = `version: 1
namespaceClasses:
  - name: standard
defaultNamespaceClass: standard
rules:
  - name: memory
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: m, above: 5GB, for: "60" }
      notRestartedWithn: 1h
`;

describe('belay check-config', () => {
  it('accepts the bundled example and summarises classes, rules, windows and rate limits', async () => {
    const { io, out, err } = terminal();
    assert.equal(await runCli(['check-config', 'examples/belay.yaml'], io), 0);
    assert.deepEqual(err, []);
    const text = out.join('\n');
    assert.match(out[0] ?? '', /^examples\/belay\.yaml is valid\.$/);
    assert.match(text, /namespace classes \(3\):\n {2}production-critical +critical/);
    assert.match(text, /memory-pressure-restart +restart-pod +suggest/);
    // What a limit counts, exactly as the rate limiter counts it.
    assert.match(
      text,
      /1 per pod per 1h +restart-pod, rollout-restart +counts Belay's own restart-pod and rollout-restart of the pod, plus a rollout-restart counting against every pod of its workload, plus restarts of the target Belay did not do: the pod recreated/,
    );
    assert.match(text, /crashloop-after-rollout-rollback +rollback-deployment +dry-run/);
    assert.match(text, /postgres-nightly-backup +backup +"0 2 \* \* \*" UTC for 45m/);
    assert.match(text, /1 per pod per 1h +restart-pod, rollout-restart/);
    assert.match(text, /3 per namespace per 1h/);
  });

  it('prints one line per problem with file, line, column and path, then the count, and exits 1', async () => {
    const { io, out } = terminal({ 'belay.yaml': BROKEN });
    assert.equal(await runCli(['check-config', 'belay.yaml'], io), 1);
    assert.equal(out.length, 3);
    assert.match(
      out[0] ?? '',
      /^belay\.yaml:11:43 {2}rules\[0\]\.when\.metric\.for {2}"60" is not a duration; write it like 90s/,
    );
    assert.match(
      out[1] ?? '',
      /^belay\.yaml:12:7 {2}rules\[0\]\.when\.notRestartedWithn {2}unknown key .*did you mean `notRestartedWithin`/,
    );
    assert.equal(out[2], '2 problems in belay.yaml; Belay will not start with this file.');
  });

  it('reports a file it cannot read and exits 1', async () => {
    const { io, out } = terminal();
    assert.equal(await runCli(['check-config', 'missing.yaml'], io), 1);
    assert.match(out[0] ?? '', /^missing\.yaml {2}cannot read the config file: there is no such file/);
    assert.equal(out[1], '1 problem in missing.yaml; Belay will not start with this file.');
  });

  it('refuses a wrong command line with its usage and exit 2', async () => {
    for (const args of [
      ['check-config'],
      ['check-config', 'a.yaml', 'b.yaml'],
      ['check-config', '--strict'],
    ]) {
      const { io, out, err } = terminal();
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.deepEqual(out, []);
      assert.equal(err[0], 'usage: belay check-config FILE');
    }
  });
});

describe('belay dispatcher', () => {
  it('lists every command on help and exits 0', async () => {
    const { io, out } = terminal();
    assert.equal(await runCli(['help'], io), 0);
    assert.ok(out.some((line) => /^ {2}belay check-config FILE +check a policy file/.test(line)));
    assert.ok(out.some((line) => /^ {2}belay help +show this help/.test(line)));
  });

  it('answers an unknown command, or none, with the help on stderr and exit 2', async () => {
    for (const argv of [['chek-config', 'x'], ['toString'], []]) {
      const { io, out, err } = terminal();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      if (argv[0]) assert.equal(err[0], `belay: unknown command "${argv[0]}"`);
      assert.ok([...out, ...err].some((line) => line.includes('belay check-config FILE')));
    }
  });

  it('runs as an executable with real files and exit codes', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['src/cli/belay.ts', ...args], { cwd: ROOT }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const ok = await run(['check-config', 'examples/belay.yaml']);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /is valid/);
    const missing = await run(['check-config', 'does-not-exist.yaml']);
    assert.equal(missing.code, 1);
  });
});
