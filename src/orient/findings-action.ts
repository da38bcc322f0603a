import { z } from 'zod';
import {
  patchConfigMapSchema,
  restartPodSchema,
  rollbackDeploymentSchema,
  rolloutRestartSchema,
  scaleSchema,
} from '../domain/index.ts';
import type { FindingsScope } from './findings-scope.ts';

// The catalog as the model must write it, made from the domain's own zod schemas (never written twice) and
// narrowed to one incident: its workload and pods enums where known, kinds that cannot apply to it left
// out. Its cluster and namespace admit one value each, so the model is not asked for them: they are
// optional constants, which the schema it sees leaves out (compact-schema.ts), and `toDomain` fills them in;
// an answer that names them anyway must name this incident's. Two changes of form serve OpenAI's strict
// mode (every property required, no maps): `toRevision` is null rather than absent, and a ConfigMap's
// changes are a list of {key, value}. `toDomain` turns both back; the domain's actionSchema still judges
// the result.

const RESTARTABLE = ['Deployment', 'StatefulSet'] as const;

export interface FindingsAction {
  readonly schema: z.ZodType<WireAction>;
  toDomain(wire: WireAction): Record<string, unknown>;
}

type WireAction = { readonly kind: string } & Record<string, unknown>;

export function findingsActionSchema(scope: FindingsScope): FindingsAction {
  const place = {
    cluster: z.literal(scope.cluster).optional(),
    namespace: z.literal(scope.namespace).optional(),
  };
  const named = (names: readonly string[], fallback: z.ZodType): z.ZodType =>
    names.length > 0 ? z.enum(names as [string, ...string[]]) : fallback;
  const w = scope.workload;
  const restartable = w && (RESTARTABLE as readonly string[]).includes(w.kind) ? w : undefined;
  const options: z.ZodType[] = [];

  options.push(
    restartPodSchema.extend({
      target: restartPodSchema.shape.target.extend({
        ...place,
        pod: named(scope.pods, restartPodSchema.shape.target.shape.pod),
      }),
    }),
  );
  const workloadTarget = (shape: typeof rolloutRestartSchema.shape.target) =>
    shape.extend({
      ...place,
      ...(restartable
        ? { workloadKind: z.literal(restartable.kind as 'Deployment'), name: z.literal(restartable.name) }
        : {}),
    });
  // A workload Belay cannot restart or scale (a DaemonSet, a Job) leaves those kinds out entirely.
  if (!w || restartable) {
    options.push(rolloutRestartSchema.extend({ target: workloadTarget(rolloutRestartSchema.shape.target) }));
    options.push(scaleSchema.extend({ target: workloadTarget(scaleSchema.shape.target) }));
  }
  if (!w || w.kind === 'Deployment') {
    options.push(
      rollbackDeploymentSchema.extend({
        target: rollbackDeploymentSchema.shape.target.extend({
          ...place,
          ...(w ? { name: z.literal(w.name) } : {}),
        }),
        toRevision: rollbackDeploymentSchema.shape.toRevision.unwrap().nullable(),
      }),
    );
  }
  // Only ConfigMaps the policy declares safe can ever be changed: no declaration, no patch-configmap.
  const data = patchConfigMapSchema.shape.data;
  for (const cm of scope.configMaps) {
    options.push(
      patchConfigMapSchema.extend({
        target: patchConfigMapSchema.shape.target.extend({ ...place, name: z.literal(cm.name) }),
        data: z
          .array(
            z
              .object({
                key: z.enum(cm.safeKeys as [string, ...string[]]),
                value: data.valueType,
              })
              .strict(),
          )
          .min(1)
          .max(cm.safeKeys.length),
      }),
    );
  }
  // A plain union (anyOf), not discriminatedUnion (oneOf): strict mode accepts only anyOf; `kind` is a
  // constant in each branch, so it still discriminates.
  const schema = (
    options.length === 1 ? options[0] : z.union(options as [z.ZodType, z.ZodType])
  ) as z.ZodType<WireAction>;
  return { schema, toDomain: (wire) => toDomain(wire, scope) };
}

function toDomain(wire: WireAction, scope: FindingsScope): Record<string, unknown> {
  const { toRevision, data, target, ...rest } = wire as WireAction & {
    toRevision?: unknown;
    data?: unknown;
    target?: Record<string, unknown>;
  };
  const out: Record<string, unknown> = {
    ...rest,
    target: { cluster: scope.cluster, namespace: scope.namespace, ...target },
  };
  if (toRevision !== null && toRevision !== undefined) out.toRevision = toRevision;
  if (Array.isArray(data))
    out.data = Object.fromEntries(
      (data as { key: string; value: string | null }[]).map(({ key, value }) => [key, value]),
    );
  return out;
}
