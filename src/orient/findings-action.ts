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
// narrowed to one incident: kinds that cannot apply to it left out, its pods an enum where code knows
// several. What admits one value — its cluster and namespace, its workload, its only pod — is not asked of
// the model: an optional constant, which the schema it sees leaves out (compact-schema.ts) and `toDomain`
// fills in; an answer that names it anyway must name this incident's. Two changes of form serve OpenAI's strict
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
  // Target fields that admit one value, per kind: `toDomain` fills them in.
  const implied: Record<string, Record<string, string>> = {};
  const imply = (kind: string, fields: Record<string, string>) => {
    implied[kind] = { ...implied[kind], ...fields };
    return Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [key, z.literal(value).optional()]),
    );
  };
  const place = { cluster: scope.cluster, namespace: scope.namespace };
  const w = scope.workload;
  const restartable = w && (RESTARTABLE as readonly string[]).includes(w.kind) ? w : undefined;
  const options: z.ZodType[] = [];

  const [onlyPod, ...otherPods] = scope.pods;
  options.push(
    restartPodSchema.extend({
      target: restartPodSchema.shape.target.extend({
        ...imply('restart-pod', { ...place, ...(onlyPod && otherPods.length === 0 ? { pod: onlyPod } : {}) }),
        ...(otherPods.length > 0 ? { pod: z.enum(scope.pods as [string, ...string[]]) } : {}),
      }),
    }),
  );
  const workloadTarget = (kind: string, shape: typeof rolloutRestartSchema.shape.target) =>
    shape.extend(
      imply(kind, {
        ...place,
        ...(restartable ? { workloadKind: restartable.kind, name: restartable.name } : {}),
      }),
    );
  // A workload Belay cannot restart or scale (a DaemonSet, a Job) leaves those kinds out entirely.
  if (!w || restartable) {
    options.push(
      rolloutRestartSchema.extend({
        target: workloadTarget('rollout-restart', rolloutRestartSchema.shape.target),
      }),
    );
    options.push(scaleSchema.extend({ target: workloadTarget('scale', scaleSchema.shape.target) }));
  }
  if (!w || w.kind === 'Deployment') {
    options.push(
      rollbackDeploymentSchema.extend({
        target: rollbackDeploymentSchema.shape.target.extend(
          imply('rollback-deployment', { ...place, ...(w ? { name: w.name } : {}) }),
        ),
        toRevision: rollbackDeploymentSchema.shape.toRevision.unwrap().nullable(),
      }),
    );
  }
  // Only ConfigMaps the policy declares safe can ever be changed: no declaration, no patch-configmap.
  const data = patchConfigMapSchema.shape.data;
  for (const cm of scope.configMaps) {
    options.push(
      patchConfigMapSchema.extend({
        // Several declared ConfigMaps are several branches of one kind: the name tells them apart, so it stays.
        target: patchConfigMapSchema.shape.target.extend({
          ...imply('patch-configmap', place),
          name: z.literal(cm.name),
        }),
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
  return { schema, toDomain: (wire) => toDomain(wire, implied[wire.kind] ?? place) };
}

function toDomain(wire: WireAction, implied: Readonly<Record<string, string>>): Record<string, unknown> {
  const { toRevision, data, target, ...rest } = wire as WireAction & {
    toRevision?: unknown;
    data?: unknown;
    target?: Record<string, unknown>;
  };
  const out: Record<string, unknown> = {
    ...rest,
    target: { ...implied, ...target },
  };
  if (toRevision !== null && toRevision !== undefined) out.toRevision = toRevision;
  if (Array.isArray(data))
    out.data = Object.fromEntries(
      (data as { key: string; value: string | null }[]).map(({ key, value }) => [key, value]),
    );
  return out;
}
