import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { refuse } from './outcome.ts';

/** Who last wrote a field, as the API server records it in metadata.managedFields. */
export interface FieldWriter {
  readonly manager: string;
  readonly time?: Date;
}

/** Does this fieldsV1 tree own `path` (or part of it)? An empty node owns everything below it. */
function owns(fields: unknown, path: readonly string[]): boolean {
  let node = fields as Record<string, unknown> | undefined;
  for (const part of path) {
    if (!node || typeof node !== 'object') return false;
    if (Object.keys(node).length === 0) return true;
    node = node[`f:${part}`] as Record<string, unknown> | undefined;
  }
  return node !== undefined;
}

/**
 * The most recent writer of `path` (`['spec', 'replicas']`) other than `self`. Undefined when no other
 * manager holds the field (a write that left no managedFields, or one Kubernetes does not attribute).
 */
export function lastWriterOf(
  managedFields: readonly V1ManagedFieldsEntry[] | undefined,
  path: readonly string[],
  self: string,
): FieldWriter | undefined {
  const owners = (managedFields ?? [])
    .filter((e) => owns(e.fieldsV1, path))
    .map((e) => ({
      manager: e.manager ?? 'an unnamed client',
      ...(e.time ? { time: new Date(e.time) } : {}),
    }))
    .sort((a, b) => (b.time?.getTime() ?? 0) - (a.time?.getTime() ?? 0));
  return owners.find((o) => o.manager !== self);
}

// Managers whose name says what they are, for the engineer who has to guess at 3 AM.
function guess(manager: string, path: readonly string[]): string {
  if (manager === 'kube-controller-manager' && path.join('.') === 'spec.replicas')
    return ' (a HorizontalPodAutoscaler?)';
  if (manager.startsWith('kubectl')) return ' (someone with kubectl)';
  if (manager.startsWith('argocd')) return ' (Argo CD)';
  if (manager === 'kustomize-controller' || manager === 'helm-controller') return ' (Flux)';
  if (manager === 'helm') return ' (Helm)';
  return '';
}

const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

export interface ChangedSince {
  /** "Deployment shop/web was scaled to 8 replicas" */
  readonly change: string;
  /** "after Belay set 5", "while Belay was rolling it back" */
  readonly context: string;
  /** "scaling it back to 3" */
  readonly undo: string;
  /** The `/remediate propose …` arguments for a fresh proposal. */
  readonly propose: string;
  readonly writer: FieldWriter | undefined;
  readonly path: readonly string[];
}

/**
 * Stops a revert (or a relative action such as a rollback) because the target no longer holds what Belay wrote: putting the old state back would undo
 * someone else's newer change. Says what changed, when and by whom where Kubernetes records it.
 */
export function refuseChangedSince(c: ChangedSince): never {
  const who = c.writer
    ? `${c.writer.time ? ` at ${hhmm(c.writer.time)}` : ''} by ${c.writer.manager}${guess(c.writer.manager, c.path)}`
    : ' (Kubernetes does not record by whom)';
  refuse(
    `${c.change}${who} ${c.context}: ${c.undo} would undo that, so Belay changed nothing. Ask for a fresh proposal with /remediate propose ${c.propose} if it should still change.`,
    'ChangedSince',
  );
}
