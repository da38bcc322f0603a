import { ApiException } from '@kubernetes/client-node';
import type { ExecutionOutcome } from './outcome.ts';
import type { ApiPermission } from './permissions.ts';

/** Where in an execution a call failed: it decides whether "nothing was changed" is true. */
export type Phase = 'read' | 'dry-run' | 'write';

export interface CallSite {
  readonly permission: ApiPermission;
  readonly namespace: string;
  /** `pod shop/web-1`, as an engineer would say it. */
  readonly what: string;
  readonly phase: Phase;
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; reason?: string; message?: string }[]; retryAfterSeconds?: number };
}

function statusOf(error: ApiException<unknown>): StatusBody {
  const body = error.body;
  if (body && typeof body === 'object') return body as StatusBody;
  try {
    const parsed: unknown = JSON.parse(String(body));
    return parsed && typeof parsed === 'object' ? (parsed as StatusBody) : {};
  } catch {
    return { message: String(body).slice(0, 300) };
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  const causeName = (error as { cause?: { name?: string } })?.cause?.name;
  return [name, causeName].some((n) => n === 'TimeoutError' || n === 'AbortError');
}

/** Turns whatever a client-node call threw into an outcome that says what happened and what to do. */
export function failureOutcome(error: unknown, site: CallSite): ExecutionOutcome {
  const { permission, namespace, what, phase } = site;
  const unchanged = phase === 'write' ? '' : ' Nothing was changed.';
  const maybeApplied =
    phase === 'write'
      ? ` The change may or may not have been applied; look at ${what} before trying again.`
      : ' Nothing was changed.';
  if (isTimeout(error)) {
    return {
      status: 'failed',
      reason: 'Timeout',
      message: `No answer from the API server in time while ${phaseWords(phase)} ${what}.${maybeApplied}`,
    };
  }
  if (!(error instanceof ApiException)) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      status: 'failed',
      reason: 'Unreachable',
      message: `Could not talk to the API server while ${phaseWords(phase)} ${what} (${detail}).${maybeApplied} Check that the cluster is reachable from Belay.`,
    };
  }
  const code = error.code;
  const status = statusOf(error);
  const serverSays = status.message ? `: ${status.message}` : '';
  const base = { status: 'failed' as const, httpStatus: code, reason: status.reason };
  switch (true) {
    case code === 401:
      return {
        ...base,
        reason: status.reason ?? 'Unauthorized',
        message: `The API server did not accept Belay's credentials (401 Unauthorized).${unchanged} Check the write identity's token or kubeconfig for this cluster.`,
      };
    case code === 403:
      return {
        ...base,
        reason: status.reason ?? 'Forbidden',
        message: `The ServiceAccount may not ${permission.verb} ${permission.resource} in namespace ${namespace} (403 Forbidden${serverSays}). Nothing was changed. Grant that verb to Belay's writer Role (deploy/rbac-writer.yaml) if Belay should do this, or do it by hand.`,
      };
    case code === 404:
      return {
        ...base,
        reason: status.reason ?? 'NotFound',
        message: `${capitalise(what)} was not found (404${serverSays}). It may have been deleted or renamed since the proposal was made. Nothing was changed; look at the incident again.`,
      };
    case code === 409:
      return {
        ...base,
        reason: status.reason ?? 'Conflict',
        message: `${capitalise(what)} kept changing while Belay tried to update it (409 Conflict${serverSays}). Nothing was changed; someone or something else is editing it, so look at it before trying again.`,
      };
    case code === 422: {
      const causes = (status.details?.causes ?? [])
        .map((c) => `${c.field ?? '?'}: ${c.message ?? c.reason ?? 'invalid'}`)
        .join('; ');
      return {
        ...base,
        reason: status.reason ?? 'Invalid',
        message: `The API server rejected the change to ${what} as invalid (422${causes ? `: ${causes}` : serverSays}). Nothing was changed.`,
      };
    }
    case code === 429: {
      const budget = status.details?.causes?.find((c) => c.reason === 'DisruptionBudget');
      if (budget) {
        return {
          ...base,
          reason: 'DisruptionBudget',
          // The server refused the eviction outright, in the dry run or the real one: nothing happened.
          message: `${describeBudgetRefusal(what, namespace, budget.message ?? status.message ?? '')} Nothing was changed. Belay did not retry; wait until the other pods are healthy, or ask the owner of the budget.`,
        };
      }
      const retry = status.details?.retryAfterSeconds;
      return {
        ...base,
        reason: status.reason ?? 'TooManyRequests',
        message: `The API server is throttling requests (429${retry ? `, retry after ${retry}s` : ''}${serverSays}).${unchanged} Try again in a minute.`,
      };
    }
    case code >= 500:
      return {
        ...base,
        reason: status.reason ?? 'InternalError',
        message: `The API server failed while ${phaseWords(phase)} ${what} (${code}${serverSays}).${maybeApplied} Check the API server's health before retrying.`,
      };
    default:
      return {
        ...base,
        message: `The API server refused ${phaseWords(phase)} ${what} (${code}${serverSays}).${unchanged}`,
      };
  }
}

/**
 * A PodDisruptionBudget refusal in an SRE's words, from the cause the API server gives (eviction.go:
 * "The disruption budget <name> needs <n> healthy pods and has <m> currently", "… is still being processed
 * by the server", "… does not allow evicting pods currently …"). A 429 here is a budget, not throttling.
 */
function describeBudgetRefusal(what: string, namespace: string, cause: string): string {
  const name = /The disruption budget (\S+)/.exec(cause)?.[1];
  if (!name) {
    return `The eviction of ${what} was refused by its PodDisruptionBudget (${cause}): that is a budget, not API throttling.`;
  }
  const health = /needs (\d+) healthy pods? and has (\d+) currently/.exec(cause);
  const why = health
    ? `it needs ${health[1]} healthy pods and has ${health[2]}, so evicting one more would take the workload below the availability its owners asked for`
    : /still being processed/.test(cause)
      ? 'the API server has not finished processing the budget yet'
      : cause;
  return `The eviction of ${what} was refused by PodDisruptionBudget ${name}, which allows 0 disruptions right now: ${why}. That is a budget, not API throttling (kubectl get pdb ${name} -n ${namespace}).`;
}

function phaseWords(phase: Phase): string {
  return { read: 'reading', 'dry-run': 'dry-running the change to', write: 'changing' }[phase];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
