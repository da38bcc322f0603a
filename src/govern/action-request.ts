import { DEFAULT_CLUSTER } from '../domain/index.ts';
import { parseTarget } from './parse-target.ts';
import type { TargetRef } from './service.ts';

/**
 * An action request shaped like a catalog Action, built from what the engineer typed. It stays untrusted:
 * the policy engine classifies it like any model output (an unknown kind such as `delete-pvc` reaches it
 * unchanged, so the answer names the never-list rule instead of a generic "unknown action").
 */
export type ActionRequest = Record<string, unknown> & { readonly kind: string };

const WORKLOAD_ACTIONS = new Set(['rollout-restart', 'scale']);
const KEY_VALUE = /^([A-Za-z0-9._-]{1,253})=(.*)$/;

/**
 * `restart-pod databases/postgres-0`, `scale shop/deployment/web replicas=3`: an action as typed after
 * `/remediate propose|explain` or `belay explain`, checked word by word and built into a request.
 */
export function parseActionWords(
  kind: string,
  targetText: string,
  argWords: readonly string[],
): { ok: true; request: ActionRequest; target: TargetRef } | { ok: false; message: string } {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(kind)) {
    return { ok: false, message: `"${kind.slice(0, 40)}" is not an action name; try \`/remediate help\`.` };
  }
  const target = parseTarget(targetText);
  if (!target.ok) return target;
  const args: Record<string, string> = {};
  for (const word of argWords) {
    const match = KEY_VALUE.exec(word);
    if (!match) return { ok: false, message: `"${word.slice(0, 40)}" is not a key=value argument.` };
    const key = match[1] ?? '';
    // Taking the last of `replicas=2 replicas=3` would act on a number the engineer may not have meant.
    if (Object.hasOwn(args, key)) {
      return {
        ok: false,
        message: `${key}= is given twice (${key}=${args[key]?.slice(0, 20)} and ${key}=${(match[2] ?? '').slice(0, 20)}); give it once, with the value you mean.`,
      };
    }
    args[key] = match[2] ?? '';
  }
  const built = buildActionRequest(kind, target.target, args);
  return built.ok ? { ok: true, request: built.request, target: target.target } : built;
}

export function buildActionRequest(
  kind: string,
  target: TargetRef,
  args: Readonly<Record<string, string>>,
): { ok: true; request: ActionRequest } | { ok: false; message: string } {
  const base = { cluster: target.cluster ?? DEFAULT_CLUSTER, namespace: target.namespace };
  const where = `${target.namespace}/${target.name}`;
  const extra = Object.keys(args).filter((key) => !(kind === 'scale' && key === 'replicas'));
  if (extra.length > 0 && kind !== 'patch-configmap') {
    return { ok: false, message: `${kind} takes no ${extra.map((k) => `${k}=`).join(', ')}; remove it.` };
  }
  if (kind === 'restart-pod') {
    if (target.kind && target.kind !== 'Pod') return wrongKind(kind, 'a pod', target);
    return { ok: true, request: { kind, target: { ...base, pod: target.name } } };
  }
  if (WORKLOAD_ACTIONS.has(kind)) {
    if (target.kind !== 'Deployment' && target.kind !== 'StatefulSet') {
      return {
        ok: false,
        message: `Say which workload ${kind} is for: \`${target.namespace}/deployment/${target.name}\` or \`${target.namespace}/statefulset/${target.name}\`.`,
      };
    }
    const workload = { ...base, workloadKind: target.kind, name: target.name };
    if (kind === 'rollout-restart') return { ok: true, request: { kind, target: workload } };
    const replicas = args.replicas;
    if (replicas === undefined) {
      return { ok: false, message: `Say how many replicas: \`scale ${where} replicas=3\`.` };
    }
    if (!/^\d{1,4}$/.test(replicas) || Number(replicas) > 1_000) {
      return {
        ok: false,
        message: `replicas=${replicas.slice(0, 20)} is not a whole number from 0 to 1000.`,
      };
    }
    return { ok: true, request: { kind, target: workload, replicas: Number(replicas) } };
  }
  if (kind === 'rollback-deployment') {
    if (target.kind && target.kind !== 'Deployment') return wrongKind(kind, 'a Deployment', target);
    return { ok: true, request: { kind, target: { ...base, name: target.name } } };
  }
  if (kind === 'patch-configmap') {
    if (target.kind && target.kind !== 'ConfigMap') return wrongKind(kind, 'a ConfigMap', target);
    if (Object.keys(args).length === 0) {
      return { ok: false, message: `Say which keys to change: \`patch-configmap ${where} key=value\`.` };
    }
    return { ok: true, request: { kind, target: { ...base, name: target.name }, data: { ...args } } };
  }
  return { ok: true, request: { kind, target: { ...base, name: target.name } } };
}

function wrongKind(action: string, expected: string, target: TargetRef) {
  return {
    ok: false as const,
    message: `${action} acts on ${expected}, and ${target.namespace}/${target.name} was given as a ${target.kind}.`,
  };
}
