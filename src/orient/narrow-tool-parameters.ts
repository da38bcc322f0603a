// The read tools' parameters as one incident's investigation sends them. What admits one value is not asked
// at all: the namespace is the incident's, and so is the pod where the incident has only one. The runner
// fills them in (pinnedArguments) and refuses another namespace (tool-runner.ts), so offering them, even as
// constants, only costs tokens on every call. Several pods of the incident are an enum, so a
// schema-constrained model reads a pod that is failing rather than one it made up.

export interface ReadScope {
  readonly namespace: string;
  /** The incident's pods; empty: any pod name. */
  readonly pods: readonly string[];
}

/** Which parameter of which tool names a pod. */
const POD_PARAMETER: Readonly<Record<string, string>> = { pod_logs: 'pod', pod_get: 'name' };

/**
 * The arguments the incident fixes, so the model is never asked for them: the tool's `namespace`, and its
 * pod parameter when the incident has one pod. Left out of what the model sees (narrowToolParameters) and
 * filled in by the runner before the tool's zod input validates the call.
 */
export function pinnedArguments(
  tool: string,
  parameters: Record<string, unknown>,
  scope: ReadScope,
): Record<string, unknown> {
  const properties = parameters.properties as Record<string, unknown> | undefined;
  const pod = POD_PARAMETER[tool];
  const [onlyPod, ...others] = scope.pods;
  return {
    ...(properties?.namespace ? { namespace: scope.namespace } : {}),
    ...(pod && properties?.[pod] && onlyPod && others.length === 0 ? { [pod]: onlyPod } : {}),
  };
}

/** The tool's JSON Schema parameters without what the incident pins, its pod parameter an enum where known. */
export function narrowToolParameters(
  tool: string,
  parameters: Record<string, unknown>,
  scope: ReadScope,
): Record<string, unknown> {
  const properties = parameters.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties) return parameters;
  const pinned = pinnedArguments(tool, parameters, scope);
  // Name patterns cost ~25 tokens each on every call; read tools are not strict functions, and the tool's
  // zod input refuses a malformed name anyway (and a name only reads within the namespace).
  const narrowed: Record<string, unknown> = Object.fromEntries(
    Object.entries(properties)
      .filter(([key]) => !(key in pinned))
      .map(([key, p]) => {
        const { pattern: _pattern, ...rest } = p;
        return [key, rest];
      }),
  );
  const pod = POD_PARAMETER[tool];
  if (pod && properties[pod] && !(pod in pinned) && scope.pods.length > 0)
    narrowed[pod] = { enum: [...scope.pods] };
  // Read tools are not strict functions: `additionalProperties` only costs tokens (zod refuses extras).
  const { additionalProperties: _extras, required, ...rest } = parameters;
  const stillRequired = Array.isArray(required) ? required.filter((key) => !(key in pinned)) : [];
  return { ...rest, properties: narrowed, ...(stillRequired.length > 0 ? { required: stillRequired } : {}) };
}
