import { jsonPatch, type Loose, mergePatch } from './kube-api-patch.ts';

// Status errors, patch application and the admission checks of the fake Kubernetes API server.

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class StatusError extends Error {
  readonly status: Loose;
  constructor(code: number, message: string, details: Loose = {}, reason = REASONS[code] ?? 'Unknown') {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      details,
      code,
    };
  }
}

export function applyPatch(current: Loose, body: Loose, type: string): Loose {
  const base = structuredClone(current);
  delete base.metadata.resourceVersion;
  let patched: Loose;
  if (type.startsWith('application/json-patch+json')) patched = jsonPatch(base, body);
  else if (
    type.startsWith('application/merge-patch+json') ||
    type.startsWith('application/strategic-merge-patch+json')
  )
    patched = mergePatch(base, body);
  else
    throw new StatusError(
      415,
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
    );
  // A patch that names a resourceVersion is a precondition; one that does not is last-writer-wins.
  if (patched.metadata?.resourceVersion === undefined)
    patched.metadata.resourceVersion = current.metadata.resourceVersion;
  return patched;
}

export function invalid(kind: string, name: string, causes: Loose[]): StatusError {
  return new StatusError(
    422,
    `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    { name, kind, causes },
  );
}

export function validate(kind: string, resource: string, name: string, obj: Loose): void {
  const causes: Loose[] = [];
  if (['deployments', 'statefulsets', 'daemonsets'].includes(resource)) {
    const containers = obj?.spec?.template?.spec?.containers;
    if (!Array.isArray(containers) || containers.length === 0)
      causes.push({
        field: 'spec.template.spec.containers',
        reason: 'FieldValueRequired',
        message: 'Required value',
      });
    for (const [i, c] of (Array.isArray(containers) ? containers : []).entries())
      if (!c.image)
        causes.push({
          field: `spec.template.spec.containers[${i}].image`,
          reason: 'FieldValueRequired',
          message: 'Required value',
        });
    const replicas = obj?.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0))
      causes.push({
        field: 'spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
      });
  }
  if (resource === 'configmaps') {
    for (const [key, value] of Object.entries(obj?.data ?? {})) {
      if (typeof value !== 'string')
        causes.push({ field: `data[${key}]`, reason: 'FieldValueInvalid', message: 'must be a string' });
      if (!/^[-._a-zA-Z0-9]+$/.test(key))
        causes.push({
          field: `data[${key}]`,
          reason: 'FieldValueInvalid',
          message: "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        });
    }
  }
  if (causes.length > 0) throw invalid(kind, name, causes);
}
