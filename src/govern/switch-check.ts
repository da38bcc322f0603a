import type { Policy, SwitchState } from '../domain/index.ts';

/** The four moves of the two switches. Stopping is cheap, so more people may stop than may start again. */
export type SwitchMove = 'pause' | 'resume' | 'freeze' | 'lift';

export function switchMove(which: 'freeze' | 'pause', on: boolean): SwitchMove {
  if (which === 'freeze') return on ? 'freeze' : 'lift';
  return on ? 'pause' : 'resume';
}

const VERB: Record<SwitchMove, string> = {
  pause: 'pause execution',
  resume: 'resume execution',
  freeze: 'declare a security freeze',
  lift: 'lift the security freeze',
};

/** Who may make a move: named users and groups, each with why they may (for the refusal). */
export interface SwitchAuthority {
  /** Nobody is configured to stop Belay, so anyone may: a kill switch nobody can pull is worse. */
  readonly anyone: boolean;
  readonly users: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, string>;
  /** Set when nobody may make the move: what to configure. */
  readonly nobody?: string;
}

type SwitchPolicy = Pick<Policy, 'operators' | 'namespaceClasses'>;

export function hasOperators(policy: SwitchPolicy): boolean {
  return policy.operators.users.length + policy.operators.groups.length > 0;
}

/** Who may make `move` now; `freeze` is the freeze in force, for its declarer. Pure. */
export function switchAuthority(
  policy: SwitchPolicy,
  move: SwitchMove,
  freeze: SwitchState,
): SwitchAuthority {
  const users = new Map<string, string>();
  const groups = new Map<string, string>();
  const add = (set: { users: readonly string[]; groups: readonly string[] } | undefined, role: string) => {
    for (const u of set?.users ?? []) if (!users.has(u)) users.set(u, role);
    for (const g of set?.groups ?? []) if (!groups.has(g)) groups.set(g, role);
  };
  const operators = hasOperators(policy);
  const approvers = (criticalOnly: boolean) => {
    for (const c of policy.namespaceClasses)
      if (!criticalOnly || c.critical) add(c.approvers, `approver of ${c.name}`);
  };
  switch (move) {
    case 'pause':
    case 'freeze':
      add(policy.operators, 'operator');
      approvers(false);
      if (move === 'freeze') add(policy.operators.security, 'security');
      return { anyone: users.size + groups.size === 0, users, groups };
    case 'resume':
      if (operators) add(policy.operators, 'operator');
      else approvers(true);
      break;
    case 'lift':
      if (operators && freeze.active && freeze.by) users.set(freeze.by, 'declared it');
      add(policy.operators.security, 'security');
      if (!operators) approvers(true);
      break;
  }
  if (users.size + groups.size > 0) return { anyone: false, users, groups };
  return {
    anyone: false,
    users,
    groups,
    nobody:
      move === 'resume'
        ? 'belay.yaml names no operators and no approvers of a critical namespace class; add `operators: { users: [...] }` and restart Belay'
        : 'belay.yaml names no security group and no approvers of a critical namespace class; add `operators: { security: { groups: [...] } }` and restart Belay',
  };
}

export type SwitchCheck = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** May `user` (in `userGroups`) make `move`? The refusal names who may, as Slack mentions. */
export function checkSwitch(
  policy: SwitchPolicy,
  move: SwitchMove,
  user: string,
  userGroups: readonly string[],
  freeze: SwitchState,
): SwitchCheck {
  const who = switchAuthority(policy, move, freeze);
  if (who.anyone) return { ok: true };
  if (who.users.has(user) || userGroups.some((g) => who.groups.has(g))) return { ok: true };
  if (who.nobody) return { ok: false, why: `nobody may ${VERB[move]}: ${who.nobody}` };
  return { ok: false, why: `only ${describeAuthority(who)} may ${VERB[move]}; ask one of them` };
}

/** "<@U1> (operator), <!subteam^S1> (security)". */
export function describeAuthority(who: SwitchAuthority): string {
  if (who.anyone) return 'anyone';
  const named = [
    ...[...who.users].map(([u, role]) => `<@${u}> (${role})`),
    ...[...who.groups].map(([g, role]) => `<!subteam^${g}> (${role})`),
  ];
  return named.length > 0 ? named.join(', ') : 'nobody';
}

/** For check-config: who may make each move, and a warning when no operators are configured. */
export function describeSwitches(policy: SwitchPolicy): string[] {
  const off = { active: false } as const;
  const lift = describeAuthority(switchAuthority(policy, 'lift', off));
  const lines = [
    `switches:`,
    `  pause, freeze  ${describeAuthority(switchAuthority(policy, 'pause', off))}${policy.operators.security ? ' (and security may freeze)' : ''}`,
    `  resume         ${describeAuthority(switchAuthority(policy, 'resume', off))}`,
    `  lift a freeze  ${hasOperators(policy) ? `whoever declared it${lift === 'nobody' ? '' : `, and ${lift}`}` : lift}`,
  ];
  if (!hasOperators(policy))
    lines.push(
      'warning: no operators are configured, so only approvers of critical namespace classes may resume execution or lift a freeze; add an `operators` section (users and groups) to belay.yaml.',
    );
  return lines;
}
