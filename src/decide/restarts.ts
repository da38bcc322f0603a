import type { Facts, LedgerEntry, ObservedRestart, Policy } from '../domain/index.ts';
import { CATALOG } from '../domain/index.ts';
import { type Instant, instant, isWithin } from './instant.ts';
import { describeAgo } from './reason-time.ts';

/**
 * A restart that Kubernetes shows right after one of Belay's own actions on the same target is that action
 * (the evicted pod comes back, the rollout stamps restartedAt and rolls the pods): Belay's ledger already
 * counts it. A rolling restart of a large StatefulSet can take this long to reach its last pod.
 */
export const ATTRIBUTION_MS = 15 * 60_000;

/** A restart of the target whoever caused it, with the words a verdict uses for it. */
export interface TargetRestart {
  readonly atMs: number;
  readonly at: string;
  readonly source: ObservedRestart['source'] | 'belay';
  /** Pod level (this pod only) or workload level (every pod of the workload). */
  readonly level: 'pod' | 'workload';
  /** An intervention (a person, a controller or Belay replaced the pod), not the container crashing. */
  readonly intervention: boolean;
  /** `postgres-0 was recreated 10 minutes ago (pod created 13:50 UTC)`, at decision time. */
  readonly description: string;
  readonly proposalId?: string;
}

/** How far back the facts must reach for restarts: the longest rate-limit window or restart condition. */
export function restartHorizonMs(policy: Pick<Policy, 'rateLimits' | 'rules'>): number {
  return Math.max(
    0,
    ...policy.rateLimits.filter((l) => l.actions.some((kind) => CATALOG[kind].restarts)).map((l) => l.window),
    ...policy.rules.map((r) => r.when.notRestartedWithin ?? 0),
  );
}

/** Does a ledger entry restart this pod (its own restart, or a restart of its whole workload)? */
function entryRestartsPod(
  e: LedgerEntry,
  facts: Facts,
  workload: string | undefined,
  pod: string | undefined,
) {
  // The cheap comparisons first: this runs once per entry of a month-long ledger.
  if (e.cluster !== facts.cluster || e.namespace !== facts.namespace) return false;
  const target =
    e.pod !== undefined
      ? pod === undefined
        ? e.workload === workload
        : e.pod === pod
      : workload !== undefined && e.workload === workload;
  return target && CATALOG[e.kind].restarts;
}

interface Span {
  readonly nowMs: number;
  readonly since: Instant;
  readonly end: Instant;
}

/** Belay's own restarts of the target within the span: only these entries of a long ledger are parsed. */
function ownRestarts(facts: Facts, pod: string | undefined, span: Span) {
  const workload = facts.owner ? `${facts.owner.kind}/${facts.owner.name}` : undefined;
  const own: { e: LedgerEntry; atMs: number }[] = [];
  for (const e of facts.ledger)
    if (entryRestartsPod(e, facts, workload, pod) && isWithin(e.at, span.since, span.end))
      own.push({ e, atMs: Date.parse(e.at) });
  return own;
}

function describeObserved(r: ObservedRestart, agoText: string): string {
  switch (r.source) {
    case 'container':
      return `a container of ${r.subject} restarted ${agoText} (${r.evidence})`;
    case 'pod-recreated':
      return `${r.subject} was recreated ${agoText} (${r.evidence})`;
    case 'rollout-restart':
      return `${r.subject} was restarted ${agoText} (${r.evidence})`;
    case 'new-revision':
      return `${r.subject} rolled out a new revision ${agoText} (${r.evidence})`;
  }
}

function spanOf(now: Date, sinceMs: number): Span {
  const nowMs = now.getTime();
  return { nowMs, since: instant(nowMs - sinceMs), end: instant(nowMs) };
}

/**
 * Every restart of the facts' target within `sinceMs` of `now`, newest first: what Kubernetes shows
 * (minus what Belay's own actions explain) and Belay's own actions of any restarting kind. For a pod
 * target, `pod` names it; without it, the workload (`facts.owner`) is the target.
 */
export function targetRestarts(
  facts: Facts,
  now: Date,
  sinceMs: number,
  pod = facts.pod?.name,
): TargetRestart[] {
  const span = spanOf(now, sinceMs);
  const own = ownRestarts(facts, pod, span);
  const restarts: TargetRestart[] = own.map(({ e, atMs }) => ({
    atMs,
    at: e.at,
    source: 'belay',
    level: e.pod === undefined ? 'workload' : 'pod',
    intervention: true,
    description:
      e.pod === undefined
        ? `Belay ran ${e.kind} of ${e.workload} ${describeAgo(span.nowMs - atMs)} (proposal ${e.proposalId})`
        : `Belay restarted ${e.pod} ${describeAgo(span.nowMs - atMs)} (proposal ${e.proposalId})`,
    proposalId: e.proposalId,
  }));
  restarts.push(...observedRestarts(facts, own, span));
  return restarts.sort((a, b) => b.atMs - a.atMs);
}

/** The restarts Kubernetes shows within `sinceMs` of `now` that Belay's own actions do not explain, newest first. */
export function observedTargetRestarts(
  facts: Facts,
  now: Date,
  sinceMs: number,
  pod = facts.pod?.name,
): TargetRestart[] {
  // Without anything observed there is nothing to attribute: the ledger is not read at all.
  if (facts.restarts.length === 0 && !facts.pod?.lastRestartAt) return [];
  const span = spanOf(now, sinceMs);
  return observedRestarts(facts, ownRestarts(facts, pod, span), span).sort((a, b) => b.atMs - a.atMs);
}

function observedRestarts(facts: Facts, own: readonly { atMs: number }[], span: Span): TargetRestart[] {
  const { nowMs } = span;
  const restarts: TargetRestart[] = [];
  // Facts gathered before restarts were listed carry only the pod's last container restart.
  const last = facts.pod?.lastRestartAt;
  const observed: ObservedRestart[] =
    last && facts.pod && !facts.restarts.some((r) => r.source === 'container')
      ? [
          ...facts.restarts,
          { at: last, source: 'container', subject: facts.pod.name, evidence: 'its last container restart' },
        ]
      : facts.restarts;
  for (const r of observed) {
    if (!isWithin(r.at, span.since, span.end)) continue;
    const atMs = Date.parse(r.at);
    const intervention = r.source !== 'container';
    if (intervention && own.some((o) => o.atMs <= atMs && atMs - o.atMs <= ATTRIBUTION_MS)) continue;
    restarts.push({
      atMs,
      at: r.at,
      source: r.source,
      level: r.source === 'rollout-restart' || r.source === 'new-revision' ? 'workload' : 'pod',
      intervention,
      description: describeObserved(r, describeAgo(nowMs - atMs)),
    });
  }
  return restarts;
}
