import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { type CliIo, runCli } from '../../src/cli/index.ts';
import { checkAddedWindow, loadConfig } from '../../src/config/index.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { type StoryHistory, storyHistory } from '../fakes/story-history.ts';

const UNTIL = '2026-03-14T14:00:00Z';

function policy(prometheusUrl: string, windows = ''): string {
  return `version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
  - name: standard
defaultNamespaceClass: standard
prometheus:
  url: ${prometheusUrl}
${windows}`;
}

function terminal(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    env: {},
  };
  return { io, out, err };
}

describe('belay windows suggest on a real Prometheus with the story’s two weeks', () => {
  let history: StoryHistory;
  let prometheus: RunningPrometheus;
  before(async () => {
    history = storyHistory({ endMs: Date.parse(UNTIL) });
    prometheus = await startPrometheusWithHistory(history);
  });
  after(() => prometheus?.stop());

  it('finds the nightly backup and suggests a window that check-config accepts, and nothing for load, leak or noise', async () => {
    const t = terminal({ 'belay.yaml': policy(prometheus.url) });
    const code = await runCli(
      ['windows', 'suggest', '--config', 'belay.yaml', '--since', '14d', '--until', UNTIL, '--json'],
      t.io,
    );
    assert.equal(code, 0, t.err.join('\n'));
    const report = JSON.parse(t.out.join('\n'));
    assert.equal(
      report.patterns.length,
      1,
      'one pattern: the backup, not the business hours, the leak or the noise',
    );
    const [backup] = report.patterns;
    assert.deepEqual(backup.window.selector, {
      clusters: ['default'],
      namespaces: ['databases'],
      names: ['postgres'],
    });
    assert.equal(backup.window.schedule, '0 2 * * *');
    assert.equal(backup.window.kind, 'backup');
    assert.equal(backup.window.name, 'postgres-backup');
    assert.equal(backup.window.timezone, 'UTC');
    // The ramp starts at 02:00 and the longest run's release ends at 02:47: the window covers both.
    const longest = Math.max(...history.backups.map((b) => b.endMs - b.startMs)) + 6 * 60_000;
    const duration = Number(backup.window.duration.replace('m', '')) * 60_000;
    assert.ok(duration >= longest && duration <= longest + 15 * 60_000, `duration ${backup.window.duration}`);
    assert.deepEqual(backup.pattern.coincidingCronJob, { namespace: 'databases', name: 'postgres-backup' });
    assert.equal(backup.pattern.daysSeen, 14);
    assert.equal(backup.pattern.daysExamined, 14);
    assert.deepEqual(backup.problems, []);
    // The same loader as check-config accepts the file with the window pasted in.
    const loaded = loadConfig(
      `${policy(prometheus.url)}windows: ${JSON.stringify([backup.window])}\n`,
      'x.yaml',
    );
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.map((p) => p.message).join('\n'));
    // …and that window covers every night's rise.
    const window = loaded.config.windows[0];
    assert.equal(window?.duration, duration);
  });

  it('prints the evidence and a window to paste, in words', async () => {
    const t = terminal({ 'belay.yaml': policy(prometheus.url) });
    const code = await runCli(['windows', 'suggest', '--config', 'belay.yaml', '--until', UNTIL], t.io);
    assert.equal(code, 0, t.err.join('\n'));
    const text = t.out.join('\n');
    assert.match(text, /1 recurring pattern\./);
    assert.match(
      text,
      /postgres-0's memory rises like this every night 02:00–02:5\d UTC \(14 of the last 14 nights\), while CronJob postgres-backup runs/,
    );
    assert.match(
      text,
      /seen on 14 of 14 days; typically 02:00–02:5\d UTC; peak 6\.[23] GB against a baseline of 2\.0 GB \(3\.1×\)/,
    );
    assert.match(text, /coincides: CronJob databases\/postgres-backup runs then/);
    assert.match(text, /window to paste under `windows:` \(check-config accepts it\):/);
    // What was printed is YAML that goes under windows: as it is.
    const yaml = text
      .slice(text.indexOf('     - name:'))
      .split('\n')
      .map((l) => l.slice(5))
      .join('\n');
    assert.equal(parse(yaml)[0].schedule, '0 2 * * *');
  });

  it('suggests nothing when a configured window already covers the pattern', async () => {
    const windows = `windows:
  - name: nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 1h
    selector: { namespaces: [databases] }
`;
    const t = terminal({ 'belay.yaml': policy(prometheus.url, windows) });
    const code = await runCli(
      ['windows', 'suggest', '--config', 'belay.yaml', '--until', UNTIL, '--json'],
      t.io,
    );
    assert.equal(code, 0, t.err.join('\n'));
    const [backup] = JSON.parse(t.out.join('\n')).patterns;
    assert.deepEqual(backup.coveredBy, ['nightly-backup']);
    assert.equal(backup.window, undefined);
  });

  it('names the window so it does not clash with one the file has', async () => {
    const windows = `windows:
  - name: postgres-backup
    schedule: "0 12 * * *"
    duration: 10m
    selector: { namespaces: [shop] }
`;
    const t = terminal({ 'belay.yaml': policy(prometheus.url, windows) });
    const code = await runCli(
      ['windows', 'suggest', '--config', 'belay.yaml', '--until', UNTIL, '--json'],
      t.io,
    );
    assert.equal(code, 0, t.err.join('\n'));
    const [backup] = JSON.parse(t.out.join('\n')).patterns;
    assert.equal(backup.window.name, 'postgres-backup-2');
    assert.deepEqual(backup.problems, []);
  });
});

describe('checkAddedWindow: the file with the window added, judged by check-config’s loader', () => {
  const file = policy('http://127.0.0.1:9');
  it('accepts a good window', () => {
    assert.deepEqual(
      checkAddedWindow(file, 'belay.yaml', { name: 'nightly', schedule: '0 2 * * *', duration: '45m' }),
      [],
    );
  });
  it('says what check-config says of a bad one, with its place in the file', () => {
    const problems = checkAddedWindow(file, 'belay.yaml', {
      name: 'nightly',
      schedule: '0 25 * * *',
      duration: '45m',
      timezone: 'Europe/Berln',
    });
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(
      problems.join('\n'),
      /belay\.yaml:\d+:\d+ {2}windows\[0\]\.timezone {2}timezone "Europe\/Berln" is not an IANA time zone; did you mean "Europe\/Berlin"\?/,
    );
    assert.match(
      problems.join('\n'),
      /windows\[0\]\.schedule {2}schedule "0 25 \* \* \*" is not a valid cron expression/,
    );
  });
  it('adds to the windows the file already has', () => {
    const withOne = `${file}windows:\n  - { name: a, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }\n`;
    assert.deepEqual(
      checkAddedWindow(withOne, 'belay.yaml', { name: 'b', schedule: '0 2 * * *', duration: '1h' }),
      [],
    );
    assert.match(
      checkAddedWindow(withOne, 'belay.yaml', { name: 'b', schedule: '0 2 * * *' }).join(),
      /windows\[1\]/,
    );
  });
});

describe('belay windows suggest refuses bad input and changes nothing', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['no subcommand', ['windows'], 2, /belay windows needs a subcommand/],
    ['an unknown subcommand', ['windows', 'list'], 2, /unknown subcommand "list"/],
    ['no --config', ['windows', 'suggest'], 2, /--config FILE is required/],
    [
      'a bad --since',
      ['windows', 'suggest', '--config', 'b.yaml', '--since', 'two weeks'],
      2,
      /"two weeks" is not a duration/,
    ],
    [
      'a --since too short to recur',
      ['windows', 'suggest', '--config', 'b.yaml', '--since', '1d'],
      2,
      /at least 3 days/,
    ],
    [
      'a bad --until',
      ['windows', 'suggest', '--config', 'b.yaml', '--until', 'yesterday'],
      2,
      /"yesterday" is not a time/,
    ],
    [
      'a bad --timezone',
      ['windows', 'suggest', '--config', 'b.yaml', '--timezone', 'Mars/Olympus'],
      2,
      /not an IANA time zone/,
    ],
    ['an unknown option', ['windows', 'suggest', '--config', 'b.yaml', '--apply'], 2, /--apply/],
    ['a missing file', ['windows', 'suggest', '--config', 'missing.yaml'], 1, /cannot read missing\.yaml/],
    [
      'a config without Prometheus',
      ['windows', 'suggest', '--config', 'noprom.yaml'],
      1,
      /has no prometheus section/,
    ],
    [
      'an unreachable Prometheus',
      ['windows', 'suggest', '--config', 'b.yaml'],
      1,
      /could not reach Prometheus at http:\/\/127\.0\.0\.1:9/,
    ],
  ];
  for (const [what, args, exit, message] of cases) {
    it(`refuses ${what}`, async () => {
      const noProm = policy('http://127.0.0.1:9').replace(/prometheus:\n.*\n/, '');
      const t = terminal({ 'b.yaml': policy('http://127.0.0.1:9'), 'noprom.yaml': noProm });
      assert.equal(await runCli(args, t.io), exit);
      assert.match(t.err.join('\n'), message);
      assert.deepEqual(t.out, []);
    });
  }
});
