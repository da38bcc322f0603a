import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { Action, Facts } from '../../src/domain/index.ts';
import { factsSchema } from '../../src/domain/index.ts';
import { createExecutionGate } from '../../src/govern/execution-gate.ts';
import type { IncidentPresenter } from '../../src/govern/incident-presenter.ts';
import { createRemediationService } from '../../src/govern/remediation-service.ts';
import { createAuditLog, createStateStore } from '../../src/govern/store/index.ts';
import { storyPolicy } from '../support/story-policy.ts';
import { manualClock } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

/** Every file under dir with its bytes: what "nothing changed on disk" is compared against. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')])));
}

async function setup(t: TestContext) {
  const dir = await tempDir(t);
  const clock = manualClock('2026-03-14T02:17:00.000Z');
  const store = await createStateStore({ dir, clock });
  const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
  const asked: { action: Action; incidentId: string | undefined }[] = [];
  const facts = async (action: Action, context: { incidentId?: string | undefined }): Promise<Facts> => {
    asked.push({ action, incidentId: context.incidentId });
    return factsSchema.parse({
      cluster: 'default',
      namespace: 'databases',
      owner: { kind: 'StatefulSet', name: 'postgres' },
      ledger: [...store.ledger()],
    });
  };
  const presented: string[] = [];
  const presenter: IncidentPresenter = {
    show: async () => void presented.push('show'),
    proposalChanged: async () => void presented.push('proposalChanged'),
    line: async () => void presented.push('line'),
    announce: async () => void presented.push('announce'),
    orientationOf: async () => {
      throw new Error('not asked');
    },
  };
  const executor = {
    execute: async () => assert.fail('explain must not execute'),
    revert: async () => assert.fail('explain must not revert'),
  };
  const gate = createExecutionGate({ policy: storyPolicy, store, audit, facts, executor, clock });
  const service = createRemediationService({
    policy: storyPolicy,
    store,
    audit,
    gate,
    facts,
    presenter,
    clock,
    groupsOf: async () => [],
    calendar: () => [],
  });
  return { dir, store, audit, service, presented, asked };
}

describe('/remediate explain changes nothing', () => {
  const restart = {
    kind: 'restart-pod',
    target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
  };

  it('a catalog action is judged on fresh facts, and no incident, proposal, audit record or message appears', async (t) => {
    const { dir, store, audit, service, presented, asked } = await setup(t);
    const before = await snapshot(dir);
    const result = await service.explain({ request: restart, user: 'U0SRE0001', channel: 'C0INCIDENT' });
    assert.ok(result.verdict, result.message);
    assert.match(result.verdict.headline, /restart pod databases\/postgres-0/);
    assert.equal(asked.length, 1, 'the facts were gathered');
    assert.deepEqual(store.listIncidents(), []);
    assert.deepEqual(store.listProposals(), []);
    assert.deepEqual(await audit.last(10), []);
    assert.deepEqual(presented, []);
    assert.deepEqual(await snapshot(dir), before);
  });

  it('a request outside the catalog is refused with its reason, and nothing is written either', async (t) => {
    const { dir, store, audit, service } = await setup(t);
    const before = await snapshot(dir);
    const result = await service.explain({
      request: { kind: 'delete-pvc', target: { namespace: 'databases', name: 'data-postgres-0' } },
      user: 'U0SRE0001',
    });
    assert.equal(result.verdict?.disposition, 'forbidden');
    assert.deepEqual(store.listIncidents(), []);
    assert.deepEqual(await audit.last(10), []);
    assert.deepEqual(await snapshot(dir), before);
  });

  it('asked in an incident thread, explain reads that incident without touching it', async (t) => {
    const { store, service, asked } = await setup(t);
    const proposed = await service.propose({ request: restart, user: 'U0SRE0001' });
    const incidentId = proposed.proposal?.incidentId as string;
    const incident = store.getIncident(incidentId);
    await service.explain({ request: restart, user: 'U0SRE0002', incidentId });
    assert.equal(asked.at(-1)?.incidentId, incidentId);
    assert.deepEqual(store.getIncident(incidentId), incident);
    assert.equal(store.listProposals().length, 1);
  });
});
