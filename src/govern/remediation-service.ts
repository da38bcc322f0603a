import { randomUUID } from 'node:crypto';
import type { Action, Actor, Clock, Incident, Policy, Proposal, Verdict } from '../domain/index.ts';
import { classifyActionRequest, DEFAULT_CLUSTER, describeAction, mention } from '../domain/index.ts';
import { type CalendarWindow, nextOccurrences, occurrencesAt } from '../observe/calendar/index.ts';
import { checkApprover } from './approver-check.ts';
import type { ExecutionGate, FactsSource, GateResult } from './execution-gate.ts';
import { alreadyMessage } from './execution-gate.ts';
import { decideOnFreshFacts, explainRequest, refusalVerdict } from './explain-request.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import { newProposal } from './new-proposal.ts';
import type { ManualRequest, RemediationService, SwitchChange, TargetRef, UseCaseResult } from './service.ts';
import type { AuditLog, StateStore } from './store/index.ts';
import { checkSwitch, switchMove } from './switch-check.ts';

export interface ServiceDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly gate: ExecutionGate;
  readonly facts: FactsSource;
  readonly presenter: IncidentPresenter;
  readonly clock: Clock;
  /** The Slack user groups a user belongs to (resolved and cached by the edge). */
  readonly groupsOf: (user: string) => Promise<readonly string[]>;
  /** Every window Belay knows of (the policy file's, and any discovered), for /remediate windows and status. */
  readonly calendar: () => readonly CalendarWindow[];
  readonly newId?: () => string;
}

const user = (id: string): Actor => ({ type: 'user', id });

/**
 * The use-cases behind every entry point. Authorisation, policy and audit happen here and in the gate,
 * never in a Slack handler, so a new entry point (a cron job, a CLI command) cannot become a bypass.
 */
export function createRemediationService(deps: ServiceDeps): RemediationService {
  const { store, audit, gate, clock, presenter, policy } = deps;

  async function afterGate(
    result: GateResult,
    actor: string,
    verb: string,
    failedVerb = verb,
  ): Promise<UseCaseResult> {
    if (result.proposal) {
      await presenter.proposalChanged(result.proposal, result.verdict);
      if (result.ok)
        await presenter.line(result.proposal.incidentId, `${verb} by <@${actor}>: ${result.message}`);
      else if (result.outcome)
        await presenter.line(
          result.proposal.incidentId,
          `${failedVerb} by <@${actor}> failed: ${result.message}`,
        );
    }
    return {
      ok: result.ok,
      message: result.message,
      ...(result.proposal ? { proposal: result.proposal } : {}),
    };
  }

  async function approve(proposalId: string, userId: string): Promise<UseCaseResult> {
    const proposal = store.getProposal(proposalId);
    const groups = await deps.groupsOf(userId);
    const result = await gate.run(proposalId, {
      by: user(userId),
      humanApproval: true,
      authorize: (verdict) =>
        proposal
          ? checkApprover(verdict, proposal.origin, userId, groups)
          : { ok: false, why: 'the proposal is gone' },
    });
    return afterGate(result, userId, 'Approved and executed');
  }

  async function reject(proposalId: string, userId: string, reason?: string): Promise<UseCaseResult> {
    const proposal = store.getProposal(proposalId);
    if (!proposal) return { ok: false, message: `There is no proposal ${proposalId}.` };
    // Whoever asked may withdraw; anyone else must be someone who could have approved it.
    const asked = proposal.origin.type === 'manual' && proposal.origin.user === userId;
    const allowed = asked
      ? { ok: true as const }
      : checkApprover(proposal.verdict, proposal.origin, userId, await deps.groupsOf(userId), {
          twoPerson: false,
        });
    if (!allowed.ok) {
      await audit.append({
        incidentId: proposal.incidentId,
        proposalId,
        type: 'approval.refused',
        actor: user(userId),
        summary: `Reject refused: ${allowed.why}`,
      });
      return { ok: false, message: `You can't reject this: ${allowed.why}.`, proposal };
    }
    const done = await store.transition(proposalId, {
      from: 'proposed',
      to: 'rejected',
      by: user(userId),
      ...(reason ? { note: reason } : {}),
    });
    if (!done.ok)
      return { ok: false, message: alreadyMessage(store.getProposal(proposalId) ?? proposal), proposal };
    await audit.append({
      incidentId: proposal.incidentId,
      proposalId,
      type: 'proposal.rejected',
      actor: user(userId),
      summary: `Rejected: ${describeAction(proposal.action)}${reason ? ` (${reason})` : ''}`,
    });
    await presenter.proposalChanged(done.proposal);
    await presenter.line(
      proposal.incidentId,
      `Rejected by <@${userId}>${reason ? `: ${reason}` : ''}. Nothing was run.`,
    );
    return {
      ok: true,
      message: `Rejected: ${describeAction(proposal.action)}. Nothing was run.`,
      proposal: done.proposal,
    };
  }

  async function revert(proposalId: string, userId: string): Promise<UseCaseResult> {
    const proposal = store.getProposal(proposalId);
    const groups = await deps.groupsOf(userId);
    const result = await gate.revert(proposalId, {
      by: user(userId),
      authorize: (verdict) =>
        proposal
          ? checkApprover(verdict, proposal.origin, userId, groups)
          : { ok: false, why: 'the proposal is gone' },
    });
    return afterGate(result, userId, 'Reverted', 'Revert');
  }

  /** A manual request decided on fresh facts that becomes a proposal in an incident. */
  async function propose(request: ManualRequest): Promise<UseCaseResult & { verdict?: Verdict }> {
    const origin = { type: 'manual' as const, user: request.user };
    const classified = classifyActionRequest(request.request);
    const now = clock.now();
    if (classified.type !== 'action') {
      const verdict = refusalVerdict(policy, request.request, origin, now);
      await audit.append({
        type: 'verdict',
        actor: user(request.user),
        summary: verdict.headline,
        data: { request: String(JSON.stringify(request.request)).slice(0, 2_000), verdict },
      });
      return { ok: false, message: verdict.headline, verdict };
    }
    const action = classified.action;
    const incident = request.incidentId
      ? store.getIncident(request.incidentId)
      : await manualIncident(action, request.user);
    if (!incident)
      return {
        ok: false,
        message: `There is no incident ${request.incidentId}; ask without it, or in the incident's thread.`,
      };
    const decided = await decideOnFreshFacts(deps, action, origin, incident.id);
    if (!('verdict' in decided)) return { ok: false, message: decided.message };
    const verdict = decided.verdict;
    await audit.append({
      incidentId: incident.id,
      type: 'verdict',
      actor: user(request.user),
      summary: verdict.headline,
      data: { verdict, origin },
    });
    const proposal = await newProposal(
      { store, audit, policy, ...(deps.newId ? { newId: deps.newId } : {}) },
      { incident, action, origin, verdict, now, by: user(request.user) },
    );
    await presenter.proposalChanged(
      proposal,
      verdict,
      `Requested by ${request.requester ?? mention(request.user)}: ${describeAction(action)}`,
    );
    return {
      ok: true,
      message: `Proposed: ${describeAction(action)}. ${verdict.headline}.`,
      proposal,
      verdict,
    };
  }

  async function manualIncident(action: Action, userId: string): Promise<Incident> {
    const { cluster, namespace } = action.target;
    const key = `manual/${cluster}/${namespace}/${describeAction(action)}`;
    const open = store.findOpenIncident(key);
    if (open) return open;
    const now = clock.now().toISOString();
    const incident = await store.putIncident({
      schemaVersion: 1,
      id: `i-${randomUUID()}`,
      key,
      cluster,
      namespace,
      title: `Manual request by ${mention(userId)}: ${describeAction(action)}`,
      status: 'open',
      alerts: {},
      openedAt: now,
      updatedAt: now,
      storm: false,
    });
    await audit.append({
      incidentId: incident.id,
      type: 'incident.opened',
      actor: user(userId),
      summary: incident.title,
    });
    return incident;
  }

  async function setSwitch(which: 'freeze' | 'pause', change: SwitchChange): Promise<UseCaseResult> {
    // The one place a switch is set, so every entry point asks the same question of the same rules.
    const move = switchMove(which, change.on);
    const allowed = checkSwitch(policy, move, change.user, await deps.groupsOf(change.user), store.freeze());
    if (!allowed.ok) {
      await audit.append({
        type: 'approval.refused',
        actor: user(change.user),
        summary: `${which === 'freeze' ? 'Freeze' : 'Pause'} change refused (${move}): ${allowed.why}`,
        data: { move, ...(change.reason ? { reason: change.reason } : {}) },
      });
      return { ok: false, message: `Nothing changed: ${allowed.why}.` };
    }
    const now = clock.now();
    const state = change.on
      ? {
          active: true,
          by: change.user,
          since: now.toISOString(),
          ...(change.reason ? { reason: change.reason } : {}),
          ...(change.forMs ? { until: new Date(now.getTime() + change.forMs).toISOString() } : {}),
        }
      : { active: false, by: change.user, since: now.toISOString() };
    if (which === 'freeze') await store.setFreeze(state);
    else await store.setPause(state);
    const words =
      which === 'freeze'
        ? change.on
          ? `Security freeze declared by <@${change.user}>${change.reason ? `: ${change.reason}` : ''}. Nothing will be changed until it is lifted${state.until ? ` or until ${state.until}` : ''}.`
          : `Security freeze lifted by <@${change.user}>.`
        : change.on
          ? `Execution paused by <@${change.user}>${change.reason ? ` (${change.reason})` : ''}. Nothing runs until /remediate resume.`
          : `Execution resumed by <@${change.user}>.`;
    await audit.append({
      type: which === 'freeze' ? 'freeze.changed' : 'pause.changed',
      actor: user(change.user),
      summary: words,
      data: { state },
    });
    await presenter.announce(words);
    return { ok: true, message: words };
  }

  function windowsFor(target: TargetRef | undefined, at: Date) {
    const all = deps.calendar();
    if (!target) {
      // Without a target, every window's next opening, whatever it selects.
      const everywhere = all.map((w) => ({ ...w, selector: {} }));
      const subject = { cluster: DEFAULT_CLUSTER, namespace: 'default', names: [], labels: {} };
      return {
        open: occurrencesAt(everywhere, subject, at),
        next: nextOccurrences(everywhere, subject, at, 10),
      };
    }
    const subject = {
      cluster: target.cluster ?? DEFAULT_CLUSTER,
      namespace: target.namespace,
      names: [target.name],
      labels: {},
    };
    return { open: occurrencesAt(all, subject, at), next: nextOccurrences(all, subject, at, 5) };
  }

  return {
    approve,
    reject,
    revert,
    propose,
    // Explaining changes nothing: no incident is opened, nothing is audited or posted.
    async explain(request) {
      if (request.incidentId && !store.getIncident(request.incidentId))
        return {
          ok: false,
          message: `There is no incident ${request.incidentId}; ask without it, or in the incident's thread.`,
        };
      return explainRequest(deps, request);
    },
    setFreeze: (change) => setSwitch('freeze', change),
    setPause: (change) => setSwitch('pause', change),
    async status() {
      const now = clock.now();
      return {
        openIncidents: store.listIncidents({ status: 'open' }),
        pendingProposals: store.listProposals({ states: ['proposed', 'approved', 'executing'] }),
        freeze: store.freeze(),
        pause: store.pause(),
        nextWindows: windowsFor(undefined, now).next,
      };
    },
    async windows(target) {
      const found = windowsFor(target, clock.now());
      return { ...(target ? { target } : {}), ...found };
    },
    async audit(query) {
      if (query.incidentId) return audit.read({ incidentId: query.incidentId });
      return audit.last(Math.min(Math.max(query.last ?? 10, 1), 100));
    },
  };
}

export type { Proposal };
