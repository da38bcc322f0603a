import { z } from 'zod';
import type { Clock } from '../domain/index.ts';
import type { EdgeLogger } from './edge-logger.ts';
import { callSlack, type SlackClient } from './slack-api.ts';

export interface UserGroupResolverOptions {
  /** A Web client with the bot token (scope usergroups:read). */
  readonly client: SlackClient;
  /** How long one group's member list is trusted before it is fetched again. */
  readonly ttlMs: number;
  readonly clock: Clock;
  /** The user group ids (S…) that policy names as approvers; only these are ever looked up. */
  readonly groups: readonly string[];
  readonly logger: EdgeLogger;
}

export interface UserGroupResolver {
  /** The configured approver groups the user belongs to; bound, so it can be passed on as a function. */
  readonly groupsOf: (user: string) => Promise<readonly string[]>;
}

interface Membership {
  readonly members: ReadonlySet<string>;
  readonly fetchedAtMs: number;
}

const usersListResponse = z.object({ users: z.array(z.string()) });

/**
 * Resolves approver-group membership through `usergroups.users.list`, one call per configured group, cached
 * for `ttlMs`. Lookups that arrive while a group is being fetched wait for that one call. When Slack cannot
 * answer, the last membership Slack did give is used (a 3 AM API blip must not lock the approvers out);
 * with none, the group counts as empty, so nobody is authorised through it. Either way the failure is
 * logged, and the next lookup asks Slack again.
 */
export function createUserGroupResolver(options: UserGroupResolverOptions): UserGroupResolver {
  const { client, ttlMs, clock, logger } = options;
  const groups = [...new Set(options.groups)];
  const known = new Map<string, Membership>();
  const inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  async function fetchMembers(group: string): Promise<ReadonlySet<string>> {
    try {
      const response = await callSlack(client, 'usergroups.users.list', { usergroup: group });
      const parsed = usersListResponse.safeParse(response);
      if (!parsed.success) throw new Error('usergroups.users.list answered without a list of user ids');
      const members = new Set(parsed.data.users);
      known.set(group, { members, fetchedAtMs: clock.now().getTime() });
      return members;
    } catch (error) {
      const last = known.get(group);
      logger.error('could not read an approver group from Slack', {
        group,
        error: error instanceof Error ? error.message : String(error),
        using: last
          ? `last known members, fetched ${new Date(last.fetchedAtMs).toISOString()}`
          : 'no members (nobody is authorised through this group until Slack answers)',
      });
      return last?.members ?? new Set();
    }
  }

  function membersOf(group: string): Promise<ReadonlySet<string>> {
    const cached = known.get(group);
    if (cached && clock.now().getTime() - cached.fetchedAtMs < ttlMs) return Promise.resolve(cached.members);
    const pending = inFlight.get(group);
    if (pending) return pending;
    const fetching = fetchMembers(group).finally(() => inFlight.delete(group));
    inFlight.set(group, fetching);
    return fetching;
  }

  return {
    groupsOf: async (user) => {
      const memberships = await Promise.all(groups.map(membersOf));
      return groups.filter((_, i) => memberships[i]?.has(user));
    },
  };
}
