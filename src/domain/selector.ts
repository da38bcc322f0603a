import { z } from 'zod';
import { matchesAnyGlob } from './glob.ts';
import { type Labels, labelsSchema } from './names.ts';

/**
 * Which objects a window, a tier or a ConfigMap rule applies to. Every field narrows; an empty selector
 * matches everything. `names` is matched against the pod, its top-level workload and the target's own name.
 */
export const selectorSchema = z
  .object({
    clusters: z.array(z.string().min(1)).min(1).optional(),
    namespaces: z.array(z.string().min(1)).min(1).optional(),
    names: z.array(z.string().min(1)).min(1).optional(),
    labels: labelsSchema.optional(),
  })
  .strict();
export type Selector = z.infer<typeof selectorSchema>;

/** What a selector is matched against: everything known about one target. */
export interface SelectorSubject {
  cluster: string;
  namespace: string;
  names: readonly string[];
  labels: Labels;
}

export function selectorMatches(selector: Selector, subject: SelectorSubject): boolean {
  if (selector.clusters && !matchesAnyGlob(subject.cluster, selector.clusters)) return false;
  if (selector.namespaces && !matchesAnyGlob(subject.namespace, selector.namespaces)) return false;
  if (selector.names && !subject.names.some((name) => matchesAnyGlob(name, selector.names ?? [])))
    return false;
  if (selector.labels) {
    for (const [key, value] of Object.entries(selector.labels)) {
      if (subject.labels[key] !== value) return false;
    }
  }
  return true;
}
