import type { Action, Facts } from '../domain/index.ts';
import { actionObject } from '../domain/index.ts';

/**
 * What "the same kind of action on the same kind of target" means for novelty: the action kind and the kind
 * of workload it lands on. A first restart of a StatefulSet pod is new even if Deployment pods were restarted.
 */
export function noveltyKey(action: Action, owner: Facts['owner']): string {
  const object = actionObject(action);
  const targetKind = object.kind === 'Pod' ? `Pod of ${owner?.kind ?? 'no controller'}` : object.kind;
  return `${action.kind}@${targetKind}`;
}
