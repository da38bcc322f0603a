import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  type ConfigProblem,
  configSchema,
  formatConfigProblem,
  loadConfig,
  readConfigFile,
} from '../../src/config/index.ts';
import { knownKeysAt } from '../../src/config/schema-walk.ts';

const EXAMPLE = new URL('../../examples/belay.yaml', import.meta.url);

/** 1-based line of the only line containing `marker`, so expectations follow the text instead of magic numbers. */
function lineOf(text: string, marker: string): number {
  const lines = text.split('\n');
  const hits = lines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
  assert.equal(hits.length, 1, `marker ${marker} must appear exactly once`);
  return hits[0] as number;
}

function problemsOf(text: string): readonly ConfigProblem[] {
  const result = loadConfig(text, 'belay.yaml');
  assert.equal(result.ok, false, 'the config should have been refused');
  return result.ok ? [] : result.problems;
}

const BASE = `version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
  - name: staging
    namespaces: [staging]
  - name: standard
defaultNamespaceClass: standard
`;

describe('loadConfig on the bundled example', () => {
  it('accepts examples/belay.yaml and reads the 02:17 story rule exactly as written', async () => {
    const result = await readConfigFile(EXAMPLE.pathname);
    assert.ok(result.ok, result.ok ? '' : result.problems.map(formatConfigProblem).join('\n'));
    const { config } = result;
    const memory = config.rules.find((r) => r.name === 'memory-pressure-restart');
    assert.ok(memory);
    assert.equal(memory.action, 'restart-pod');
    assert.equal(memory.mode, 'suggest');
    assert.equal(memory.when.alert?.name, 'PodMemoryHigh');
    assert.deepEqual(
      { ...memory.when.metric },
      { name: 'container_memory_working_set_bytes', above: 5e9, for: 60_000 },
    );
    assert.equal(memory.when.notInWindow, true);
    assert.equal(memory.when.notRestartedWithin, 3_600_000);
    assert.deepEqual(memory.when.namespaceClass?.notIn, ['production-critical']);
    const backup = config.windows.find((w) => w.name === 'postgres-nightly-backup');
    assert.ok(backup);
    assert.equal(backup.kind, 'backup');
    assert.equal(backup.schedule, '0 2 * * *');
    assert.equal(backup.duration, 2_700_000);
    assert.equal(backup.timezone, 'UTC');
    assert.deepEqual(backup.selector.namespaces, ['databases']);
    assert.deepEqual(backup.selector.names, ['postgres-*']);
    const critical = config.namespaceClasses.find((c) => c.name === 'production-critical');
    assert.equal(critical?.critical, true);
    assert.deepEqual(critical?.namespaces, ['databases', 'payments']);
    assert.deepEqual(
      config.rateLimits.map((l) => [l.scope, l.limit, l.window]),
      [
        ['pod', 1, 3_600_000],
        ['namespace', 3, 3_600_000],
      ],
    );
    const crash = config.rules.find((r) => r.name === 'crashloop-restart');
    assert.deepEqual(
      [crash?.action, crash?.mode, crash?.when.alert?.name],
      ['restart-pod', 'suggest', 'KubePodCrashLooping'],
    );
    assert.ok(config.rules.some((r) => r.action === 'rollback-deployment' && r.mode === 'dry-run'));
    assert.ok(config.windows.some((w) => w.from !== undefined && w.kind === 'freeze'));
    assert.ok(config.tiers.length > 0 && config.configMaps.length > 0);
  });

  it('shows every option of the schema, so the example is the reference', async () => {
    const raw = (await import('yaml')).parse(await readFile(EXAMPLE, 'utf8')) as unknown;
    const missing: string[] = [];
    const present = (value: unknown, path: readonly (string | number)[]): boolean => {
      if (path.length === 0) return value !== undefined;
      const [head, ...rest] = path;
      if (Array.isArray(value)) return value.some((item) => present(item, path));
      if (value === null || typeof value !== 'object') return false;
      return present((value as Record<string, unknown>)[String(head)], rest);
    };
    const visit = (path: (string | number)[]) => {
      for (const key of new Set([
        ...knownKeysAt(configSchema, path),
        ...knownKeysAt(configSchema, [...path, 0]),
      ])) {
        const child = knownKeysAt(configSchema, path).includes(key) ? [...path, key] : [...path, 0, key];
        const keys = child.filter((s) => typeof s === 'string');
        if (!present(raw, keys)) missing.push(keys.join('.'));
        visit(child);
      }
    };
    visit([]);
    assert.deepEqual(missing, []);
  });

  it('freezes the loaded config all the way down', async () => {
    const result = await readConfigFile(EXAMPLE.pathname);
    assert.ok(result.ok);
    const { config } = result;
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.rules));
    assert.ok(Object.isFrozen(config.rules[0]?.when.metric));
    assert.ok(Object.isFrozen(config.windows[0]?.selector.names));
    assert.throws(() => {
      (config.rules as unknown as unknown[]).push({});
    }, TypeError);
    assert.throws(() => {
      (config.rules[0] as { mode: string }).mode = 'auto';
    }, TypeError);
    // A frozen matcher's regular expression still matches (it is not global, so it never writes lastIndex).
    const matcher = config.rules.find((r) => r.name === 'replicas-short-scale-up')?.when.alert?.matchers[1];
    assert.equal(matcher?.regex?.test('kube-system'), true);
  });
});

describe('loadConfig on a broken config', () => {
  const BROKEN = `${BASE}windows:
  - name: nightly
    schedule: "0 25 * * *"
    duration: 45m
  - name: paris
    schedule: "0 3 * * *"
    duration: 1h
    timezone: Europe/Pariss
rules:
  - name: memory
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      notRestartedWithn: 1h
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: "60" }
  - name: crash
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodCrashLoop }
      namespaceClass: { in: [stagin] }
  - name: auto-restart
    action: restart-pod
    mode: auto
    when:
      alert: { name: PodCrashLoopAuto }
      namespaceClass: { notIn: [production-critical] }
  - name: auto-rollback
    action: rollback-deployment
    mode: auto
    when:
      alert: { name: KubePodCrashLooping }
      firingFor: 90
`;

  it('reports one problem per mistake, each with its path and line, all at once', () => {
    const problems = problemsOf(BROKEN);
    const got = problems.map((p) => [p.path, p.line]);
    assert.deepEqual(got, [
      ['windows[0].schedule', lineOf(BROKEN, '0 25 * * *')],
      ['windows[1].timezone', lineOf(BROKEN, 'Pariss')],
      ['rules[0].when.notRestartedWithn', lineOf(BROKEN, 'notRestartedWithn')],
      ['rules[0].when.metric.for', lineOf(BROKEN, 'for: "60"')],
      ['rules[1].when.namespaceClass.in[0]', lineOf(BROKEN, 'in: [stagin]')],
      ['rules[2].mode', lineOf(BROKEN, 'name: auto-restart') + 2],
      ['rules[3].when.namespaceClass', lineOf(BROKEN, 'alert: { name: KubePodCrashLooping }') - 1],
      ['rules[3].when.firingFor', lineOf(BROKEN, 'firingFor: 90')],
    ]);
    const text = problems.map(formatConfigProblem).join('\n');
    assert.match(text, /"0 25 \* \* \*" is not a valid cron expression/);
    assert.match(text, /"Europe\/Pariss" is not an IANA time zone/);
    assert.match(text, /unknown key `notRestartedWithn`; did you mean `notRestartedWithin`\?/);
    assert.match(
      text,
      /belay\.yaml:\d+:\d+ {2}rules\[0\]\.when\.metric\.for {2}"60" is not a duration; write it like 90s/,
    );
    assert.match(
      text,
      /"stagin" is not one of the namespaceClasses \(production-critical, staging, standard\)/,
    );
    assert.match(text, /auto is refused for restart-pod/);
    assert.match(text, /auto is refused in production-critical namespaces/);
    assert.match(text, /90 has no unit, so it would be read as 90 milliseconds/);
  });

  it('points an unknown key at its own line and column', () => {
    const [problem] = problemsOf(BROKEN).filter((p) => p.path.endsWith('notRestartedWithn'));
    assert.equal(problem?.column, 7);
  });

  it('reports a YAML syntax error with its line instead of guessing at the shape', () => {
    const text = `${BASE}rules:\n  - name: x\n    when: { alert: [a, b }\n`;
    const problems = problemsOf(text);
    assert.equal(problems.length, 1, "the parser's follow-on errors on the same line are not repeated");
    assert.equal(problems[0]?.path, '');
    assert.equal(problems[0]?.line, lineOf(text, '[a, b }'));
    assert.match(problems[0]?.message ?? '', /^YAML syntax error/);
  });

  it('refuses a duplicate key, which YAML would otherwise resolve silently, along with other problems', () => {
    const text = `${BASE}twoPersonRule: true\nnovelty: maybe\ntwoPersonRule: false\n`;
    const problems = problemsOf(text);
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [
        ['novelty', lineOf(text, 'maybe')],
        ['twoPersonRule', lineOf(text, 'twoPersonRule: false')],
      ],
    );
    assert.match(problems[0]?.message ?? '', /expected true or false, got "maybe"/);
    assert.match(problems[1]?.message ?? '', /`twoPersonRule` appears twice/);
  });

  it('names the allowed values of an enum and places a missing key on its parent', () => {
    const text = `${BASE}rules:\n  - name: r\n    action: restart\n    when: { alert: { name: A } }\n`;
    const problems = problemsOf(text);
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [
        ['rules[0].mode', lineOf(text, '- name: r')],
        ['rules[0].action', lineOf(text, 'action: restart')],
      ],
    );
    assert.match(
      problems[0]?.message ?? '',
      /`mode` is required.*use one of: dry-run, suggest, approval, auto/,
    );
    assert.match(
      problems[1]?.message ?? '',
      /"restart" is not allowed here; use one of: restart-pod, rollout-restart/,
    );
  });

  it('refuses an empty file and a file that is not a mapping', () => {
    assert.match(problemsOf('')[0]?.message ?? '', /the file is empty/);
    assert.match(problemsOf('# nothing\n')[0]?.message ?? '', /the file is empty/);
    assert.match(problemsOf('- a\n- b\n')[0]?.message ?? '', /expected a mapping of keys, got a list of 2/);
  });

  it('reports a file it cannot read as a problem, not a crash', async () => {
    const result = await readConfigFile('/nonexistent/belay.yaml');
    assert.equal(result.ok, false);
    assert.match(
      result.ok ? '' : (result.problems[0]?.message ?? ''),
      /cannot read the config file: there is no such file/,
    );
  });
});

describe('unknown keys', () => {
  const DEEP = `version: 1
bogusTop: 1
namespaceClasses:
  - name: standard
    bogusClass: 1
    approvers: { users: [], bogusApprovers: 1 }
defaultNamespaceClass: standard
tiers:
  - tier: approval
    bogusTier: 1
rateLimits:
  - { scope: pod, actions: [restart-pod], limit: 1, window: 1h, bogusRate: 1 }
windows:
  - name: w
    schedule: "0 2 * * *"
    duration: 1h
    bogusWindow: 1
    selector: { namespaces: [a], bogusSelector: 1 }
rules:
  - name: r
    action: restart-pod
    mode: suggest
    bogusRule: 1
    when:
      bogusWhen: 1
      alert: { name: A, bogusAlert: 1 }
      metric: { name: m, above: 1, for: 1m, bogusMetric: 1 }
      namespaceClass: { in: [standard], bogusScope: 1 }
  - name: p
    action: patch-configmap
    mode: suggest
    configMap: { name: c, data: {}, bogusConfigMapRef: 1 }
    when: { alert: { name: A } }
configMaps:
  - { namespace: a, name: c, safeKeys: [k], bogusSafe: 1 }
store: { dir: x, bogusStore: 1 }
`;

  it('are errors at every depth, each on its own line, with the keys allowed there', () => {
    const problems = problemsOf(DEEP);
    const bogus = [...DEEP.matchAll(/(bogus\w+)/g)].map((m) => m[1] as string);
    assert.equal(bogus.length, 15);
    assert.deepEqual(
      problems.map((p) => [p.path.split(/[.[\]]/).at(-1), p.line]),
      bogus.map((key) => [key, lineOf(DEEP, key)]),
    );
    for (const problem of problems) assert.match(problem.message, /^unknown key `bogus\w+` \(allowed here: /);
    assert.match(
      problems[0]?.message ?? '',
      /allowed here: version, namespaceClasses, defaultNamespaceClass/,
    );
  });

  it('are errors even when the rest of the file is valid (a typo must never pass)', () => {
    const problems = problemsOf(
      `${BASE}rules:\n  - name: r\n    action: restart-pod\n    mode: suggest\n    when: { alert: { name: A }, namespaceclass: { in: [staging] } }\n`,
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /did you mean `namespaceClass`\?/);
  });
});

describe('extra checks', () => {
  it('run after the schema accepts the file, and their paths are placed on lines', () => {
    const text = `${BASE}rules:\n  - name: r\n    action: scale\n    replicas: 0\n    mode: suggest\n    when: { alert: { name: A } }\n`;
    const result = loadConfig(text, 'belay.yaml', {
      checks: [
        (config) =>
          config.rules.flatMap((rule, i) =>
            rule.replicas === 0
              ? [{ path: ['rules', i, 'replicas'], message: 'scaling to zero is an outage' }]
              : [],
          ),
      ],
    });
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map((p) => [p.path, p.line, p.message]), [
      ['rules[0].replicas', lineOf(text, 'replicas: 0'), 'scaling to zero is an outage'],
    ]);
  });
});
