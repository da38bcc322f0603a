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
