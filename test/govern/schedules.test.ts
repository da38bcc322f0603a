import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Proposal } from '../../src/domain/index.ts';
import {
  createScheduledJobs,
  EXPIRY_SWEEP_CRON,
  type ScheduleDeps,
  startSchedules,
} from '../../src/govern/schedules.ts';
import { createAuditLog, createStateStore } from '../../src/govern/store/index.ts';
import type { WeeklyDigest } from '../../src/govern/weekly-digest.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { WEEK_FROM, WEEK_TO, writeWeek } from './audit-week.ts';
import { sampleProposal } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

const T0 = '2025-03-14T02:17:00.000Z';
const EXPIRES = '2025-03-14T02:47:00.000Z';
const alice = { type: 'user', id: 'U0ALICE' } as const;
const bot = { type: 'bot', id: 'belay' } as const;

async function setup(t: TestContext, overrides: Partial<ScheduleDeps> = {}) {
  const clock = new ManualClock(T0);
  const store = await createStateStore({ dir: await tempDir(t), clock });
  const audit = await createAuditLog({ dir: await tempDir(t), clock });
  const told: Proposal[] = [];
  const errors: { job: string; error: unknown }[] = [];
  const posted: WeeklyDigest[] = [];
  const deps: ScheduleDeps = {
    store,
    audit,
    clock,
    onExpired: async (p) => {
      told.push(p);
    },
    onError: (job, error) => errors.push({ job, error }),
    digest: {
      schedule: '0 9 * * 1',
      timezone: 'Europe/Paris',
      post: async (d) => {
        posted.push(d);
      },
    },
    ...overrides,
  };
  return { clock, store, audit, told, errors, posted, deps, jobs: createScheduledJobs(deps) };
}

async function propose(store: Awaited<ReturnType<typeof setup>>['store'], id: string, expiresAt = EXPIRES) {
  return store.createProposal({ ...sampleProposal(id), expiresAt });
}

describe('expiry sweep', () => {
  it('expires what is due, once, with an audit record and a callback; leaves the rest alone', async (t) => {
    const { clock, store, audit, told, jobs } = await setup(t);
    await propose(store, 'due');
    await propose(store, 'exactly-now', '2025-03-14T02:50:00.000Z');
    await propose(store, 'later', '2025-03-14T03:17:00.000Z');
    await propose(store, 'rejected');
    await store.transition('rejected', { from: 'proposed', to: 'rejected', by: alice });
    clock.set('2025-03-14T02:50:00.000Z');

    const expired = await jobs.sweepExpired(clock.now());

    assert.deepEqual(
      expired.map((p) => [p.id, p.state]),
      [
        ['due', 'expired'],
        ['exactly-now', 'expired'],
      ],
    );
    assert.deepEqual(
      told.map((p) => p.id),
      ['due', 'exactly-now'],
    );
    assert.equal(store.getProposal('later')?.state, 'proposed');
    assert.equal(store.getProposal('rejected')?.state, 'rejected');
    assert.deepEqual(store.getProposal('due')?.history.at(-1), {
      from: 'proposed',
      to: 'expired',
      at: '2025-03-14T02:50:00.000Z',
      by: { type: 'system', id: 'expiry-sweep' },
      note: 'nobody decided before it expired',
    });
    const records = await audit.read({ types: ['proposal.expired'] });
    assert.deepEqual(
      records.map((r) => [r.proposalId, r.incidentId, r.actor.id, r.summary]),
      [
        [
          'due',
          'inc-1',
          'expiry-sweep',
          `Expired unanswered at ${EXPIRES}: restart pod databases/postgres-0`,
        ],
        [
          'exactly-now',
          'inc-1',
          'expiry-sweep',
          'Expired unanswered at 2025-03-14T02:50:00.000Z: restart pod databases/postgres-0',
        ],
      ],
    );
    // A second sweep finds nothing more to do.
    assert.deepEqual(await jobs.sweepExpired(clock.now()), []);
    assert.equal((await audit.read({ types: ['proposal.expired'] })).length, 2);
  });

  it('with a retention, forgets what has left it: old rate-ledger entries and long-finished proposals', async (t) => {
    const { clock, store, jobs } = await setup(t, {
      retention: { ledgerMs: 3_600_000, historyMs: 86_400_000 },
    });
    await propose(store, 'old');
    await store.reserve(
      { at: T0, kind: 'scale', cluster: 'default', namespace: 'shop', proposalId: 'old' },
      () => true,
    );
    clock.set('2025-03-14T03:00:00.000Z');
    await jobs.sweepExpired(clock.now());
    assert.equal(store.getProposal('old')?.state, 'expired', 'expired now, kept while recent');
    assert.equal(store.ledger().length, 1, 'the ledger entry is still inside the hour');
    clock.set('2025-03-16T03:00:00.000Z');
    await jobs.sweepExpired(clock.now());
    assert.equal(store.ledger().length, 0);
    assert.equal(store.getProposal('old'), undefined);
  });

  it('expires a proposal once even when sweeps run concurrently', async (t) => {
    const { clock, store, audit, told, deps } = await setup(t);
    for (const id of ['a', 'b', 'c']) await propose(store, id);
    clock.set('2025-03-14T03:00:00.000Z');
    // Separate job instances, as two overlapping ticks or a restart mid-sweep would be.
    const sweeps = await Promise.all(
      Array.from({ length: 8 }, () => createScheduledJobs(deps).sweepExpired(clock.now())),
    );
    assert.deepEqual(
      sweeps
        .flat()
        .map((p) => p.id)
        .sort(),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(told.map((p) => p.id).sort(), ['a', 'b', 'c']);
    const records = await audit.read({ types: ['proposal.expired'] });
    assert.deepEqual(records.map((r) => r.proposalId).sort(), ['a', 'b', 'c']);
  });

  it('never expires a proposal that is executing, and lets it finish', async (t) => {
    const { clock, store, audit, jobs } = await setup(t);
    await propose(store, 'run');
    clock.set('2025-03-14T02:46:00.000Z');
    await store.transition('run', { from: 'proposed', to: 'approved', by: alice });
    await store.transition('run', { from: 'approved', to: 'executing', by: alice });
    for (const minutes of [1, 10, 60, 24 * 60]) {
      clock.set(new Date(Date.parse(EXPIRES) + minutes * 60_000));
      assert.deepEqual(await jobs.sweepExpired(clock.now()), []);
      assert.equal(store.getProposal('run')?.state, 'executing');
    }
    const done = await store.transition('run', { from: 'executing', to: 'succeeded', by: bot });
    assert.ok(done.ok);
    assert.deepEqual(await audit.read({ types: ['proposal.expired'] }), []);
  });

  it('leaves a fresh approval to the gate, even past expiry, so it still moves to executing', async (t) => {
    const { clock, store, jobs } = await setup(t);
    await propose(store, 'clicked');
    clock.set('2025-03-14T02:46:59.000Z');
    await store.transition('clicked', { from: 'proposed', to: 'approved', by: alice });
    clock.set('2025-03-14T02:47:30.000Z'); // past expiresAt, seconds after the approval
    assert.deepEqual(await jobs.sweepExpired(clock.now()), []);
    const executing = await store.transition('clicked', { from: 'approved', to: 'executing', by: alice });
    assert.ok(executing.ok, 'the gate can still move it on');
  });

  it('withdraws an approval left unexecuted past the grace period and gives back its rate-limit slot', async (t) => {
    const { clock, store, audit, told, jobs } = await setup(t, { approvedGraceMs: 60_000 });
    await propose(store, 'stuck');
    await propose(store, 'other');
    clock.set('2025-03-14T02:40:00.000Z');
    await store.reserve(
      {
        at: clock.now().toISOString(),
        kind: 'restart-pod',
        cluster: 'default',
        namespace: 'databases',
        pod: 'postgres-0',
        proposalId: 'stuck',
      },
      () => true,
    );
    await store.transition('stuck', { from: 'proposed', to: 'approved', by: alice });
    assert.equal(store.ledger().length, 1);
    clock.set('2025-03-14T02:47:30.000Z');
    assert.deepEqual(
      (await jobs.sweepExpired(clock.now())).map((p) => p.id),
      ['stuck', 'other'],
    );
    assert.equal(store.getProposal('stuck')?.state, 'expired');
    assert.equal(store.getProposal('stuck')?.history.at(-1)?.from, 'approved');
    assert.deepEqual(store.ledger(), [], 'the slot it reserved is free again');
    const record = (await audit.read({ proposalId: 'stuck', types: ['proposal.expired'] }))[0];
    assert.match(record?.summary ?? '', /approved at .* but never executed/);
    assert.deepEqual(record?.data, { from: 'approved', expiresAt: EXPIRES });
    assert.deepEqual(
      told.map((p) => p.id),
      ['stuck', 'other'],
    );
  });

  it('a failing message update is audited and reported, and the sweep carries on', async (t) => {
    const { clock, store, audit, errors, jobs } = await setup(t, {
      onExpired: async (p) => {
        if (p.id === 'first') throw new Error('Slack answered 500');
      },
    });
    await propose(store, 'first');
    await propose(store, 'second');
    clock.set('2025-03-14T03:00:00.000Z');
    const expired = await jobs.sweepExpired(clock.now());
    assert.deepEqual(
      expired.map((p) => p.id),
      ['first', 'second'],
    );
    const [error] = await audit.read({ types: ['error'] });
    assert.equal(
      error?.summary,
      'Proposal first expired, but its message was not updated: Slack answered 500',
    );
    assert.deepEqual(
      errors.map((e) => [e.job, (e.error as Error).message]),
      [['expiry-sweep', 'Slack answered 500']],
    );
  });
});

describe('weekly digest job', () => {
  it('posts the week that ends now, counted from the audit log', async (t) => {
    const { clock, audit, posted, jobs } = await setup(t);
    const expected = await writeWeek(audit, clock);
    const digest = await jobs.runDigest(new Date(WEEK_TO));
    assert.deepEqual(digest, expected);
    assert.deepEqual(posted, [expected]);
    assert.equal(WEEK_FROM, expected.from);
  });

  it('says there is nothing to post when no digest is configured', async (t) => {
    const { jobs } = await setup(t, { digest: undefined });
    await assert.rejects(jobs.runDigest(new Date(WEEK_TO)), /No digest is configured \(slack\.digest\)/);
  });
});

describe('startSchedules', () => {
  it('registers the digest on its cron schedule and zone, the sweep every 30 s, and stop() stops both', async (t) => {
    const { deps } = await setup(t);
    const schedules = startSchedules(deps);
    t.after(() => schedules.stop());
    const { digest, expirySweep } = schedules.jobs;
    assert.ok(digest);
    assert.equal(digest.cronTime.source, '0 9 * * 1');
    assert.equal(digest.cronTime.timeZone, 'Europe/Paris');
    assert.equal(expirySweep.cronTime.source, EXPIRY_SWEEP_CRON);
    assert.equal(EXPIRY_SWEEP_CRON, '*/30 * * * * *');
    // Mondays 09:00 in Paris is 08:00 UTC in winter.
    assert.equal(digest.nextDate().toUTC().toFormat('ccc HH:mm'), 'Mon 08:00');
    assert.ok(digest.isActive && expirySweep.isActive);
    await schedules.stop();
    assert.ok(!digest.isActive && !expirySweep.isActive);
  });

  it('registers no digest when none is configured', async (t) => {
    const { deps } = await setup(t, { digest: undefined });
    const schedules = startSchedules(deps);
    t.after(() => schedules.stop());
    assert.equal(schedules.jobs.digest, undefined);
    assert.ok(schedules.jobs.expirySweep.isActive);
  });

  it('fails at startup, naming the config key, on a bad schedule or time zone', async (t) => {
    for (const [schedule, timezone, why] of [
      ['every monday', 'UTC', /slack\.digest: schedule "every monday".*cannot be used/],
      ['0 9 * * 1', 'Mars/Olympus_Mons', /time zone "Mars\/Olympus_Mons" cannot be used: Invalid timezone/],
      ['0 25 * * 1', 'UTC', /out of range/],
    ] as const) {
      const { deps } = await setup(t, { digest: { schedule, timezone, post: async () => {} } });
      assert.throws(() => startSchedules(deps), why);
    }
  });

  it('a tick runs its job with the clock; a failed tick is audited and reported, not thrown', async (t) => {
    const { clock, store, audit, errors, deps } = await setup(t, {
      digest: {
        schedule: '0 9 * * 1',
        timezone: 'UTC',
        post: async () => {
          throw new Error('channel_not_found');
        },
      },
    });
    await propose(store, 'due');
    clock.set('2025-03-14T03:00:00.000Z');
    const schedules = startSchedules(deps);
    t.after(() => schedules.stop());
    await schedules.jobs.expirySweep.fireOnTick();
    assert.equal(store.getProposal('due')?.state, 'expired');
    await schedules.jobs.digest?.fireOnTick();
    const [error] = await audit.read({ types: ['error'] });
    assert.equal(error?.summary, 'The weekly digest was not posted: channel_not_found');
    assert.deepEqual(error?.data, { job: 'weekly-digest' });
    assert.equal(errors[0]?.job, 'weekly-digest');
  });
});
