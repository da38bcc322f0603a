import type { Origin, Verdict } from '../domain/index.ts';

export type ApproverCheck = { readonly ok: true } | { readonly ok: false; readonly why: string };

/**
 * May this person approve this verdict? Pure: the caller resolves the user's groups. Where a namespace class
 * names approvers, only they may approve; where it names none, a suggestion may be approved by anyone in
 * the channel, but an action that needs approval may be approved by nobody until approvers are configured.
 */
export function checkApprover(
  verdict: Verdict,
  origin: Origin,
  user: string,
  userGroups: readonly string[],
  /** Withdrawing (rejecting) one's own request is always allowed; only running it needs a second person. */
  options: { twoPerson?: boolean } = {},
): ApproverCheck {
  const approvers = verdict.approvers;
  if (!approvers) return { ok: false, why: `this action cannot be approved: ${verdict.headline}` };
  const named = [...approvers.users.map((u) => `<@${u}>`), ...approvers.groups.map((g) => `<!subteam^${g}>`)];
  const listed = approvers.users.includes(user) || approvers.groups.some((g) => userGroups.includes(g));
  if (named.length > 0 && !listed) {
    return {
      ok: false,
      why: `only ${named.join(', ')} may approve actions in ${approvers.namespaceClass} namespaces`,
    };
  }
  if (named.length === 0 && verdict.disposition === 'approval') {
    return {
      ok: false,
      why: `this needs an authorised approver and none is configured for ${approvers.namespaceClass} namespaces; add them under namespaceClasses[].approvers in belay.yaml`,
    };
  }
  if (
    (options.twoPerson ?? true) &&
    approvers.twoPerson &&
    origin.type === 'manual' &&
    origin.user === user
  ) {
    return {
      ok: false,
      why: `you asked for this action, and in ${approvers.namespaceClass} namespaces a second person must approve it`,
    };
  }
  return { ok: true };
}
