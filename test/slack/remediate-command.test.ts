import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRemediateCommand } from '../../src/slack/remediate-command.ts';

const HOUR = 3_600_000;

describe('parseRemediateCommand: what each subcommand means', () => {
  const cases: [string, unknown][] = [
    ['', { type: 'help' }],
    ['help', { type: 'help' }],
    ['  STATUS  ', { type: 'status' }],
    [
      'propose restart-pod databases/postgres-0',
      {
        type: 'propose',
        target: { namespace: 'databases', name: 'postgres-0' },
        request: {
          kind: 'restart-pod',
          target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
        },
      },
    ],
    [
      'propose rollout-restart prod:shop/deployment/web',
      {
        type: 'propose',
        target: { cluster: 'prod', namespace: 'shop', kind: 'Deployment', name: 'web' },
        request: {
          kind: 'rollout-restart',
          target: { cluster: 'prod', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
        },
      },
    ],
    [
      'propose scale shop/deploy/web replicas=4',
      {
        type: 'propose',
        target: { namespace: 'shop', kind: 'Deployment', name: 'web' },
        request: {
          kind: 'scale',
          target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
          replicas: 4,
        },
      },
    ],
    [
      'propose rollback-deployment shop/web',
      {
        type: 'propose',
        target: { namespace: 'shop', name: 'web' },
        request: {
          kind: 'rollback-deployment',
          target: { cluster: 'default', namespace: 'shop', name: 'web' },
        },
      },
    ],
    [
      'propose patch-configmap shop/cm/flags checkout_v2=off',
      {
        type: 'propose',
        target: { namespace: 'shop', kind: 'ConfigMap', name: 'flags' },
        request: {
          kind: 'patch-configmap',
          target: { cluster: 'default', namespace: 'shop', name: 'flags' },
          data: { checkout_v2: 'off' },
        },
      },
    ],
    // Not in the catalog: passed on untouched so the policy answers with the never-list rule.
    [
      'propose delete-pvc databases/data-postgres-0',
      {
        type: 'propose',
        target: { namespace: 'databases', name: 'data-postgres-0' },
        request: {
          kind: 'delete-pvc',
          target: { cluster: 'default', namespace: 'databases', name: 'data-postgres-0' },
        },
      },
    ],
    [
      'explain restart-pod databases/postgres-0',
      {
        type: 'explain',
        target: { namespace: 'databases', name: 'postgres-0' },
        request: {
          kind: 'restart-pod',
          target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
        },
      },
    ],
    ['freeze on suspected breach', { type: 'freeze', on: true, reason: 'suspected breach' }],
    [
      'freeze on suspected breach for 2h',
      { type: 'freeze', on: true, reason: 'suspected breach', forMs: 2 * HOUR },
    ],
    ['freeze off', { type: 'freeze', on: false, reason: undefined }],
    ['freeze off all clear', { type: 'freeze', on: false, reason: 'all clear' }],
    ['pause', { type: 'pause', reason: undefined }],
    ['pause cluster upgrade', { type: 'pause', reason: 'cluster upgrade' }],
    ['resume', { type: 'resume', reason: undefined }],
    ['windows', { type: 'windows' }],
    [
      'windows databases/postgres-0',
      { type: 'windows', target: { namespace: 'databases', name: 'postgres-0' } },
    ],
    ['audit', { type: 'audit', last: 10 }],
    ['audit last 25', { type: 'audit', last: 25 }],
    ['audit inc-20240101-7f3a', { type: 'audit', incidentId: 'inc-20240101-7f3a' }],
    ['restart everything', { type: 'help', note: '"restart" is not a /remediate subcommand.' }],
    ['rm -rf /', { type: 'help', note: '"rm" is not a /remediate subcommand.' }],
  ];
  for (const [text, command] of cases) {
    it(`"${text}"`, () => {
      assert.deepEqual(parseRemediateCommand(text), { ok: true, command });
    });
  }
});

describe('parseRemediateCommand: bad input gets a clear message', () => {
  const cases: [string, RegExp][] = [
    ['propose', /needs an action and a target/],
    ['propose restart-pod', /needs an action and a target/],
    ['explain databases/postgres-0', /needs an action and a target/],
    ['propose restart-pod postgres-0', /not a target; write it as/],
    ['propose restart-pod databases/', /not a target/],
    ['propose restart-pod a/b/c/d', /not a target/],
    ['propose restart-pod Databases/postgres-0', /not a namespace name/],
    ['propose restart-pod databases/Postgres_0', /not a Kubernetes object name/],
    ['propose restart-pod databases/secret/postgres', /not a kind Belay acts on/],
    ['propose restart-pod databases/deployment/web', /acts on a pod/],
    ['propose rollout-restart shop/web', /Say which workload/],
    ['propose scale shop/deployment/web', /Say how many replicas/],
    ['propose scale shop/deployment/web replicas=-1', /not a whole number/],
    ['propose scale shop/deployment/web replicas=100000', /not a whole number/],
    ['propose restart-pod shop/web force=true', /takes no force=/],
    ['propose restart-pod shop/web now', /not a key=value argument/],
    [
      'propose scale shop/deployment/web replicas=2 replicas=3',
      /replicas= is given twice \(replicas=2 and replicas=3\)/,
    ],
    ['propose patch-configmap shop/cm/flags a=on a=on', /a= is given twice/],
    ['propose Restart;Pod shop/web', /not an action name/],
    ['propose patch-configmap shop/flags', /Say which keys to change/],
    ['propose rollback-deployment shop/statefulset/db', /acts on a Deployment/],
    ['propose restart-pod bad cluster!:shop/web', /not a target|not a cluster/],
    ['propose restart-pod !bad:shop/web', /not a cluster/],
    ['freeze', /freeze on <reason>/],
    ['freeze maybe', /freeze on <reason>/],
    ['freeze on', /Say why you freeze/],
    ['freeze on for 2h', /Say why you freeze/],
    ['freeze on breach for soon', /not a duration/],
    ['freeze off for 2h', /takes no duration/],
    [`freeze on ${'x'.repeat(600)}`, /under 500 characters/],
    ['windows a/b c/d', /one target/],
    ['windows nope', /not a target/],
    ['audit last', /from 1 to 100/],
    ['audit last 0', /from 1 to 100/],
    ['audit last 1000', /from 1 to 100/],
    ['audit last many', /from 1 to 100/],
    ['audit <script>', /not an incident id/],
    ['audit a b c', /Say `audit`/],
  ];
  for (const [text, message] of cases) {
    it(`"${text.slice(0, 60)}"`, () => {
      const parsed = parseRemediateCommand(text);
      assert.equal(parsed.ok, false, JSON.stringify(parsed));
      if (!parsed.ok) {
        assert.match(parsed.message, message);
        assert.ok(parsed.message.length < 300, 'a hostile input is not echoed back whole');
      }
    });
  }

  it('does not echo a huge token back whole', () => {
    const parsed = parseRemediateCommand(`propose restart-pod ${'a'.repeat(10_000)}`);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.ok(parsed.message.length < 200);
  });
});
