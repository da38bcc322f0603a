import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { createUserGroupResolver } from '../../src/slack/user-groups.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';

const DBAS = 'S0DBAS0001';
const ONCALL = 'S0ONCALL01';
const TTL = 5 * 60_000;

describe('approver groups resolved through usergroups.users.list', () => {
  let slack: FakeSlackApi;
  let clock: ManualClock;
  let logger: ReturnType<typeof recordingLogger>;

  before(async () => {
    slack = await startFakeSlackApi();
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
    slack.usergroups.clear();
    slack.usergroups.set(DBAS, ['U0DBA0001', 'U0DBA0002']);
    slack.usergroups.set(ONCALL, ['U0DBA0001', 'U0SRE0001']);
    slack.failWith('usergroups.users.list', undefined);
    clock = new ManualClock('2025-03-14T02:17:00Z');
    logger = recordingLogger();
  });

  function resolver(groups: readonly string[] = [DBAS, ONCALL], token = 'xoxb-test-token') {
    return createUserGroupResolver({
      client: new webApi.WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      ttlMs: TTL,
      clock,
      groups,
      logger,
    });
  }
  const lookups = () => slack.served('usergroups.users.list').map((c) => c.body.usergroup);
  const errors = () => logger.lines.filter((l) => l.level === 'error');
  const errorData = (i: number) => (errors()[i]?.data ?? {}) as { error?: string; using?: string };

  it('a group Slack does not know fails closed: nobody is in it, and the log says which group and why', async () => {
    const { groupsOf } = resolver(['S0GONE0001', ONCALL]);
    assert.deepEqual(await groupsOf('U0SRE0001'), [ONCALL]);
    assert.equal(errors().length, 1);
    assert.deepEqual(errors()[0]?.data, {
      group: 'S0GONE0001',
      error: 'An API error occurred: no_such_subteam',
      using: 'no members (nobody is authorised through this group until Slack answers)',
    });
  });

  it('a wrong bot token authorises nobody through groups, and is logged', async () => {
    const { groupsOf } = resolver([DBAS], 'xoxb-wrong');
    assert.deepEqual(await groupsOf('U0DBA0001'), []);
    assert.match(String(errorData(0).error), /invalid_auth/);
  });

  it('answers only the configured groups the user is in, one call per group', async () => {
    const { groupsOf } = resolver();
    assert.deepEqual(await groupsOf('U0DBA0001'), [DBAS, ONCALL]);
    assert.deepEqual(await groupsOf('U0SRE0001'), [ONCALL]);
    assert.deepEqual(await groupsOf('U0INTERN1'), []);
    assert.deepEqual(lookups(), [DBAS, ONCALL], 'the second and third lookups are cache hits');
    assert.equal(slack.served('usergroups.users.list')[0]?.token, 'xoxb-test-token');
  });

  it('with no approver groups configured it asks Slack nothing', async () => {
    const { groupsOf } = resolver([]);
    assert.deepEqual(await groupsOf('U0DBA0001'), []);
    assert.deepEqual(lookups(), []);
  });

  it('trusts a member list for ttlMs, then asks again and sees the change', async () => {
    const { groupsOf } = resolver([DBAS]);
    assert.deepEqual(await groupsOf('U0DBA0002'), [DBAS]);
    slack.usergroups.set(DBAS, ['U0DBA0001']);
    clock.advance(TTL - 1);
    assert.deepEqual(await groupsOf('U0DBA0002'), [DBAS], 'still cached one millisecond before expiry');
    assert.equal(lookups().length, 1);
    clock.advance(1);
    assert.deepEqual(await groupsOf('U0DBA0002'), [], 'removed from the group, and the cache has expired');
    assert.equal(lookups().length, 2);
  });

  it('when Slack fails after expiry it uses the last known members, logs it, and asks again next time', async () => {
    const { groupsOf } = resolver([DBAS]);
    assert.deepEqual(await groupsOf('U0DBA0001'), [DBAS]);
    clock.advance(TTL);
    slack.failWith('usergroups.users.list', 'fatal_error');
    assert.deepEqual(await groupsOf('U0DBA0001'), [DBAS]);
    assert.deepEqual(await groupsOf('U0INTERN1'), []);
    assert.equal(errors().length, 2, 'each failed attempt is logged');
    assert.equal(errorData(0).using, 'last known members, fetched 2025-03-14T02:17:00.000Z');
    slack.failWith('usergroups.users.list', undefined);
    slack.usergroups.set(DBAS, ['U0INTERN1']);
    assert.deepEqual(await groupsOf('U0INTERN1'), [DBAS], 'Slack answers again and the new list is used');
    assert.equal(lookups().length, 4);
  });

  it('concurrent lookups share one call per group', async () => {
    const { groupsOf } = resolver();
    const answers = await Promise.all(['U0DBA0001', 'U0DBA0002', 'U0SRE0001', 'U0INTERN1'].map(groupsOf));
    assert.deepEqual(answers, [[DBAS, ONCALL], [DBAS], [ONCALL], []]);
    assert.deepEqual(lookups().sort(), [DBAS, ONCALL]);
    clock.advance(TTL);
    await Promise.all([groupsOf('U0DBA0001'), groupsOf('U0DBA0001')]);
    assert.equal(lookups().length, 4, 'after expiry, again one call per group for both lookups');
  });
});
