import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/index.ts';

/** A terminal whose files are the repository's, plus any the test adds. */
function terminal(extra: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (line: string) => out.push(line),
    stderr: (line: string) => err.push(line),
    readFile: async (path: string) => extra[path] ?? readFile(path, 'utf8'),
  };
  return { io, out, err };
}

const STORY = ['simulate', '--config', 'examples/belay.yaml', '--scenario', 'examples/story/story.yaml'];

describe('belay simulate', () => {
  it('replays the 02:17 story from the bundled examples with the verdict each step expects', async () => {
    const { io, out, err } = terminal();
    assert.equal(await runCli([...STORY, '--json'], io), 0, err.join('\n'));
    const report = JSON.parse(out.join('\n')) as {
      steps: { title: string; decisions: { verdict?: { disposition: string; headline: string } }[] }[];
    };
    const firstVerdict = report.steps.map((s) => s.decisions.find((d) => d.verdict)?.verdict?.disposition);
    assert.deepEqual(firstVerdict, [
      'blocked',
      'approval',
      'suggest',
      'blocked',
      'blocked',
      'blocked',
      'blocked',
      'forbidden',
      'forbidden',
    ]);
    const night = report.steps[0]?.decisions[0]?.verdict?.headline ?? '';
    assert.match(night, /Blocked.*postgres-nightly-backup until 02:45 UTC/);
  });

  it('prints the verdicts with their reasons for a person to read', async () => {
    const { io, out } = terminal();
    assert.equal(await runCli(STORY, io), 0);
    const text = out.join('\n');
    assert.match(
      text,
      /✋ Blocked: restart pod databases\/postgres-0 — Inside backup window postgres-nightly-backup/,
    );
    assert.match(text, /✗ not inside a maintenance or backup window/);
    assert.match(text, /who may approve: <@U012AB3CD>/);
  });

  it('exits 1 and says which step when a verdict differs from what the scenario expects', async () => {
    const scenario = `title: t\nsteps:\n  - title: wrongly expected\n    at: 2026-03-14T02:17:00Z\n    alert: alerts/postgres-memory-0217.json\n    facts: facts/postgres-0.yaml\n    expect: auto\n`;
    const { io, err } = terminal({ 'examples/story/wrong.yaml': scenario });
    assert.equal(
      await runCli(
        ['simulate', '--config', 'examples/belay.yaml', '--scenario', 'examples/story/wrong.yaml'],
        io,
      ),
      1,
    );
    assert.match(err.join('\n'), /"wrongly expected": expected auto, got blocked/);
  });

  it('runs one alert with a facts snapshot at a given time', async () => {
    const { io, out } = terminal();
    const args = [
      'simulate',
      '--config',
      'examples/belay.yaml',
      '--alert',
      'examples/story/alerts/postgres-memory-0217.json',
      '--facts',
      'examples/story/facts/postgres-0.yaml',
      '--at',
      '2026-03-14T02:30:00Z',
    ];
    assert.equal(await runCli(args, io), 0);
    assert.match(out.join('\n'), /Blocked.*until 02:45 UTC/);
  });

  it('refuses input that is not what it claims to be, with the reason and nothing else', async () => {
    const cases: [string[], Record<string, string>, RegExp, number][] = [
      [['simulate', '--config', 'examples/belay.yaml'], {}, /usage: belay simulate/, 2],
      [['simulate', '--bogus'], {}, /Unknown option/, 2],
      [
        ['simulate', '--config', 'bad.yaml', '--alert', 'a.json', '--facts', 'f.yaml'],
        { 'bad.yaml': 'version: 1\nnamespaceClasses: []\n' },
        /problem/,
        1,
      ],
      [
        [
          'simulate',
          '--config',
          'examples/belay.yaml',
          '--alert',
          'a.json',
          '--facts',
          'examples/story/facts/postgres-0.yaml',
          '--at',
          '2026-03-14T02:17:00Z',
        ],
        { 'a.json': '{"version":"3","alerts":[]}' },
        /not an Alertmanager webhook payload: version/,
        1,
      ],
      [
        [
          'simulate',
          '--config',
          'examples/belay.yaml',
          '--alert',
          'examples/story/alerts/api-crashloop.json',
          '--facts',
          'f.yaml',
          '--at',
          '2026-03-14T02:17:00Z',
        ],
        {
          'f.yaml':
            'namespace: staging\nledger: [{ at: yesterday, kind: restart-pod, cluster: default, namespace: staging, proposalId: p }]\n',
        },
        /"yesterday" is neither a time nor an offset/,
        1,
      ],
    ];
    for (const [args, files, message, code] of cases) {
      const { io, err, out } = terminal(files);
      assert.equal(await runCli(args, io), code, args.join(' '));
      assert.match([...err, ...out].join('\n'), message, args.join(' '));
    }
  });

  it('reads --alert and --facts given as absolute paths', async () => {
    const { io, out, err } = terminal();
    const absolute = (path: string) => new URL(`../../${path}`, import.meta.url).pathname;
    const args = [
      'simulate',
      '--config',
      absolute('examples/belay.yaml'),
      '--alert',
      absolute('examples/story/alerts/postgres-memory-0217.json'),
      '--facts',
      absolute('examples/story/facts/postgres-0.yaml'),
      '--at',
      '2026-03-14T02:30:00Z',
    ];
    assert.equal(await runCli(args, io), 0, err.join('\n'));
    assert.match(out.join('\n'), /Blocked.*until 02:45 UTC/);
  });

  it('answers --help with its usage and options, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { io, out, err } = terminal();
      assert.equal(await runCli(['simulate', flag], io), 0, err.join('\n'));
      assert.deepEqual(err, []);
      const text = out.join('\n');
      assert.match(text, /usage: belay simulate --config FILE/);
      assert.match(text, /--scenario FILE/);
      assert.doesNotMatch(text, /Unknown option/);
    }
  });
});
