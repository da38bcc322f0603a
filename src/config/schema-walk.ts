import { z } from 'zod';
import { durationSchema } from '../domain/index.ts';
import type { ConfigPath } from './config-problem.ts';

// Reading the zod schema itself, so messages can list the keys and values allowed at a path without a
// second, hand-kept copy of the schema that would drift from it.

/** The schema under optional/default/nullable wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodReadonly
  ) {
    current = current._zod.def.innerType as z.ZodType;
  }
  return current;
}

/** The schemas a value at this path may be checked against (several under a union). */
function schemasAt(root: z.ZodType, path: ConfigPath): z.ZodType[] {
  let current: z.ZodType[] = [root];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current.flatMap(alternatives)) {
      if (schema instanceof z.ZodObject && typeof segment === 'string') {
        const child = (schema.shape as Record<string, z.ZodType | undefined>)[segment];
        if (child) next.push(child);
      } else if (schema instanceof z.ZodArray && typeof segment === 'number') {
        next.push(schema.element as z.ZodType);
      } else if (schema instanceof z.ZodRecord) {
        next.push(schema.valueType as z.ZodType);
      }
    }
    current = next;
  }
  return current.flatMap(alternatives);
}

function alternatives(schema: z.ZodType): z.ZodType[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodType[]).flatMap(alternatives);
  if (inner instanceof z.ZodPipe && inner !== durationSchema) return alternatives(inner.in as z.ZodType);
  return [inner];
}

/** The keys an object at this path may have; empty when the path is not an object. */
export function knownKeysAt(root: z.ZodType, path: ConfigPath): string[] {
  return schemasAt(root, path).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []));
}

/** The literal values allowed at this path (an enum's options), empty when any value of a type goes. */
export function allowedValuesAt(root: z.ZodType, path: ConfigPath): string[] {
  return schemasAt(root, path).flatMap((s) => {
    if (s instanceof z.ZodEnum) return s.options.map(String);
    if (s instanceof z.ZodLiteral) return [...s.values].map(String);
    return [];
  });
}

/**
 * Where the file wrote a bare number for a duration. The domain reads a number as milliseconds (programs
 * build policies that way), but in a file `for: 60` almost always means sixty seconds, not sixty milliseconds.
 */
export function bareNumberDurations(root: z.ZodType, value: unknown, path: ConfigPath = []): ConfigPath[] {
  const found: ConfigPath[] = [];
  for (const schema of alternatives(root)) {
    if (schema === durationSchema) {
      if (typeof value === 'number') found.push(path);
    } else if (schema instanceof z.ZodObject && isPlainObject(value)) {
      for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
        if (key in value) found.push(...bareNumberDurations(child, value[key], [...path, key]));
      }
    } else if (schema instanceof z.ZodArray && Array.isArray(value)) {
      value.forEach((item, i) => {
        found.push(...bareNumberDurations(schema.element as z.ZodType, item, [...path, i]));
      });
    }
  }
  return dedupe(found);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function dedupe(paths: ConfigPath[]): ConfigPath[] {
  const seen = new Map(paths.map((p) => [JSON.stringify(p), p]));
  return [...seen.values()];
}
