// The read tools' parameters as one incident's investigation sends them. The namespace is a constant: the
// runner refuses any other anyway (tool-runner.ts), so offering a free string only invites refused calls
// and costs tokens. Pod names are the incident's pods where code knows them, so a schema-constrained model
// reads the pod that is failing rather than one it made up.

export interface ReadScope {
  readonly namespace: string;
  /** The incident's pods; empty: any pod name. */
  readonly pods: readonly string[];
}

/** Which parameter of which tool names a pod. */
const POD_PARAMETER: Readonly<Record<string, string>> = { pod_logs: 'pod', pod_get: 'name' };

/** The tool's JSON Schema parameters with `namespace` pinned and its pod parameter an enum where known. */
export function narrowToolParameters(
  tool: string,
  parameters: Record<string, unknown>,
  scope: ReadScope,
): Record<string, unknown> {
  const properties = parameters.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties) return parameters;
  // Name patterns cost ~25 tokens each on every call; read tools are not strict functions, and the tool's
  // zod input refuses a malformed name anyway (and a name only reads within the namespace).
  const narrowed: Record<string, unknown> = Object.fromEntries(
    Object.entries(properties).map(([key, p]) => {
      const { pattern: _pattern, ...rest } = p;
      return [key, rest];
    }),
  );
  if (properties.namespace) narrowed.namespace = { const: scope.namespace };
  const pod = POD_PARAMETER[tool];
  if (pod && properties[pod] && scope.pods.length > 0) narrowed[pod] = { enum: [...scope.pods] };
  // Read tools are not strict functions: `additionalProperties` only costs tokens (zod refuses extras).
  const { additionalProperties: _extras, ...rest } = parameters;
  return { ...rest, properties: narrowed };
}
