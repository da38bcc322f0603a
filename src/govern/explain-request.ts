import { decide } from '../decide/index.ts';
import type { Action, Clock, Facts, Origin, Policy, Verdict } from '../domain/index.ts';
import { classifyActionRequest, DEFAULT_CLUSTER, describeAction, factsSchema } from '../domain/index.ts';
import type { FactsSource } from './execution-gate.ts';
import type { ManualRequest, UseCaseResult } from './service.ts';

export interface ExplainDeps {
  readonly policy: Policy;
  readonly facts: FactsSource;
  readonly clock: Clock;
}

/**
 * The verdict the policy would give a request now, on fresh facts, changing nothing: `/remediate explain`
 * and `belay explain`. Without a verdict, the facts could not be gathered and the message says why.
 */
export async function explainRequest(
  deps: ExplainDeps,
  request: ManualRequest,
): Promise<UseCaseResult & { verdict?: Verdict }> {
  const origin = { type: 'manual' as const, user: request.user };
  const classified = classifyActionRequest(request.request);
  if (classified.type !== 'action') {
    const verdict = refusalVerdict(deps.policy, request.request, origin, deps.clock.now());
    return { ok: false, message: verdict.headline, verdict };
  }
  const decided = await decideOnFreshFacts(deps, classified.action, origin, request.incidentId);
  return 'verdict' in decided
    ? { ok: true, message: decided.verdict.headline, verdict: decided.verdict }
    : { ok: false, message: decided.message };
}

/** A request outside the catalog, decided where it points: the answer names the rule that refuses it. */
export function refusalVerdict(policy: Policy, request: unknown, origin: Origin, now: Date): Verdict {
  return decide(policy, { request, origin }, factsSchema.parse(placeOf(request)), now);
}

/** Facts gathered now, as the execution gate gathers them, then the policy's verdict on them. */
export async function decideOnFreshFacts(
  deps: ExplainDeps,
  action: Action,
  origin: Origin,
  incidentId: string | undefined,
): Promise<{ verdict: Verdict; facts: Facts } | { message: string }> {
  let facts: Facts;
  try {
    facts = await deps.facts(action, { incidentId });
  } catch (error) {
    const cluster = action.target.cluster;
    const what = describeAction(action).replace(/^\S+ /, '').replace(`${cluster}:`, '');
    return {
      message: `Belay could not read ${what} from cluster "${cluster}" (${whyFailed(error)}). Check the name, or try again when the cluster answers.`,
    };
  }
  return { verdict: decide(deps.policy, { request: action, origin }, facts, deps.clock.now()), facts };
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:6443`: the message and the cause beneath it, which says why. */
function whyFailed(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}

/** Where a request that is not a catalog action points, for the facts a refusal is decided on. */
function placeOf(request: unknown): { cluster: string; namespace: string } {
  const target = (request as { target?: { cluster?: unknown; namespace?: unknown } } | null)?.target;
  const namespace =
    typeof target?.namespace === 'string' && /^[a-z0-9-]{1,63}$/.test(target.namespace)
      ? target.namespace
      : 'default';
  const cluster =
    typeof target?.cluster === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$/.test(target.cluster)
      ? target.cluster
      : DEFAULT_CLUSTER;
  return { cluster, namespace };
}
