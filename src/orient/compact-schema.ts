// Every request resends every schema, so each keyword is paid for on every model call. These keywords say
// nothing the model needs that code does not check anyway: the zod schemas behind them still validate
// every answer and every tool call, so dropping them from what is sent weakens no check.
// Patterns stay: a strict decoder needs them to write a valid name at all.
const DROPPED = new Set(['maxLength', 'maxItems']);

/**
 * A JSON Schema as sent to the model: no length caps, and no optional constants (a property that may only
 * be absent or one fixed value asks the model nothing: code fills it in). zod still enforces both.
 */
export function compactSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(compactSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const nullable = nullableType(s);
  if (nullable) return nullable;
  const required = Array.isArray(s.required) ? (s.required as unknown[]) : [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    if (DROPPED.has(key) && typeof value !== 'object') continue;
    // `properties` maps names to schemas: its keys are names, never keywords.
    out[key] =
      key === 'properties' && typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([name, p]) => required.includes(name) || !isConstant(p))
              .map(([name, p]) => [name, compactSchema(p)]),
          )
        : compactSchema(value);
  }
  return out;
}

const isConstant = (p: unknown): boolean => typeof p === 'object' && p !== null && 'const' in p;

/**
 * `{anyOf: [{type: T, …}, {type: 'null'}]}` as `{type: [T, 'null'], …}`: the same values (T's keywords
 * constrain only T's values) in half the tokens, the form OpenAI's strict mode documents for "absent".
 * Objects and arrays keep the anyOf: their keywords are not scalar ones.
 */
function nullableType(s: Record<string, unknown>): Record<string, unknown> | undefined {
  const branches = s.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2 || Object.keys(s).length !== 1) return undefined;
  const [value, none] = branches as [Record<string, unknown>, Record<string, unknown>];
  const scalar = ['string', 'integer', 'number', 'boolean'].includes(value?.type as string);
  if (!scalar || 'const' in value || 'enum' in value) return undefined;
  if (Object.keys(none ?? {}).length !== 1 || none?.type !== 'null') return undefined;
  return compactSchema({ ...value, type: [value.type, 'null'] }) as Record<string, unknown>;
}
