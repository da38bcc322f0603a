// The least a schema-constrained model can answer: an instance built from a JSON Schema alone, as strict
// structured-output endpoints constrain decoding to it. Required properties only, the minimal valid value of
// each type, an enum's first member, a union's first branch. What the schema does not pin down comes back
// empty: a loose `{}` schema gets `{}`. It never invents what the schema does not say.

export type JsonSchema = { readonly [key: string]: unknown } | boolean;

export class SchemaInstanceError extends Error {}

/** An instance of `schema`; throws SchemaInstanceError when no valid instance can be built from it. */
export function schemaInstance(schema: JsonSchema, root: JsonSchema = schema, path = '#'): unknown {
  if (schema === true) return {};
  if (schema === false) throw new SchemaInstanceError(`${path}: the schema false admits no value`);
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') return schemaInstance(resolveRef(root, s.$ref), root, s.$ref);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0) throw new SchemaInstanceError(`${path}: an empty enum admits no value`);
    return s.enum[0];
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = s[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      // A union's first branch, with the sibling keywords (type, description) it refines.
      const { [keyword]: _union, ...siblings } = s;
      return schemaInstance({ ...siblings, ...(branches[0] as object) }, root, `${path}/${keyword}/0`);
    }
  }
  if (Array.isArray(s.allOf))
    return schemaInstance(Object.assign({}, ...(s.allOf as object[])), root, `${path}/allOf`);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type ?? inferType(s)) {
    case 'object':
      return objectInstance(s, root, path);
    case 'array': {
      const min = numberOr(s.minItems, 0);
      const items = (s.items ?? true) as JsonSchema;
      return Array.from({ length: min }, (_, i) => schemaInstance(items, root, `${path}/items/${i}`));
    }
    case 'string':
      return stringInstance(s, path);
    case 'integer':
    case 'number':
      return numberInstance(s, type === 'integer' || s.type === 'integer', path);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      throw new SchemaInstanceError(`${path}: cannot tell what type of value the schema wants`);
  }
}

function objectInstance(s: Record<string, unknown>, root: JsonSchema, path: string): Record<string, unknown> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const key of required) {
    const property = properties[key];
    if (property === undefined) {
      if (s.additionalProperties === false)
        throw new SchemaInstanceError(`${path}: "${key}" is required but not allowed`);
      out[key] = schemaInstance((s.additionalProperties ?? true) as JsonSchema, root, `${path}/${key}`);
      continue;
    }
    out[key] = schemaInstance(property, root, `${path}/properties/${key}`);
  }
  return out;
}

const CANDIDATES = ['a', 'x', '0', 'a-0', 'a.b', 'A', 'example', 'a@b.c'];

function stringInstance(s: Record<string, unknown>, path: string): string {
  const min = numberOr(s.minLength, 0);
  const max = numberOr(s.maxLength, Number.POSITIVE_INFINITY);
  if (min > max) throw new SchemaInstanceError(`${path}: minLength ${min} is above maxLength ${max}`);
  if (s.format === 'date-time') return '1970-01-01T00:00:00Z';
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
  const tries = [''.padEnd(min, 'a'), ...CANDIDATES.map((c) => c.padEnd(min, c.at(-1)))];
  const found = tries.find((t) => t.length >= min && t.length <= max && (!pattern || pattern.test(t)));
  if (found === undefined)
    throw new SchemaInstanceError(
      `${path}: no simple string matches /${String(s.pattern)}/ within the length bounds`,
    );
  return found;
}

function numberInstance(s: Record<string, unknown>, integer: boolean, path: string): number {
  const step = integer ? 1 : Number.EPSILON;
  let low = Number.NEGATIVE_INFINITY;
  if (typeof s.minimum === 'number') low = s.minimum;
  if (typeof s.exclusiveMinimum === 'number') low = Math.max(low, s.exclusiveMinimum + step);
  let high = Number.POSITIVE_INFINITY;
  if (typeof s.maximum === 'number') high = s.maximum;
  if (typeof s.exclusiveMaximum === 'number') high = Math.min(high, s.exclusiveMaximum - step);
  let value = low === Number.NEGATIVE_INFINITY ? Math.min(0, high) : low;
  if (integer) value = Math.ceil(value);
  if (value > high)
    throw new SchemaInstanceError(`${path}: no ${integer ? 'integer' : 'number'} in the bounds`);
  return value;
}

function inferType(s: Record<string, unknown>): string | undefined {
  if ('properties' in s || 'required' in s || 'additionalProperties' in s) return 'object';
  if ('items' in s) return 'array';
  if ('pattern' in s || 'minLength' in s || 'maxLength' in s) return 'string';
  if ('minimum' in s || 'maximum' in s) return 'number';
  return Object.keys(s).every((k) => ['description', 'title', 'default', '$schema'].includes(k))
    ? 'object'
    : undefined;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new SchemaInstanceError(`${ref}: only local $refs are followed`);
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  if (node === undefined) throw new SchemaInstanceError(`${ref}: the $ref points at nothing`);
  return node as JsonSchema;
}

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
