import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { SchemaInstanceError, schemaInstance } from './schema-instance.ts';

const instanceOf = (schema: z.ZodType) => schemaInstance(z.toJSONSchema(schema) as Record<string, unknown>);

describe('schemaInstance: the least a schema-constrained model can answer', () => {
  it('gives the minimal valid value of each type, and required properties only', () => {
    const schema = z.object({
      name: z.string(),
      short: z.string().min(3).max(5),
      count: z.number().int().min(2).max(9),
      above: z.number().int().positive(),
      ratio: z.number(),
      on: z.boolean(),
      nothing: z.null(),
      list: z.array(z.string()).min(2),
      optional: z.string().optional(),
    });
    const value = instanceOf(schema);
    assert.deepEqual(value, {
      name: '',
      short: 'aaa',
      count: 2,
      above: 1,
      ratio: 0,
      on: false,
      nothing: null,
      list: ['', ''],
    });
    assert.equal(schema.safeParse(value).success, true);
  });

  it("takes an enum's first member, a const, and a union's first branch", () => {
    assert.equal(instanceOf(z.enum(['Deployment', 'StatefulSet'])), 'Deployment');
    assert.equal(instanceOf(z.literal('restart-pod')), 'restart-pod');
    assert.equal(instanceOf(z.string().nullable()), '');
    assert.equal(instanceOf(z.union([z.number().min(4), z.string()])), 4);
  });

  it('follows a discriminated union (oneOf) into its first branch, discriminator included', () => {
    const schema = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('scale'), replicas: z.number().int().min(1).max(10) }).strict(),
      z.object({ kind: z.literal('restart'), pod: z.string().min(1) }).strict(),
    ]);
    const value = instanceOf(schema);
    assert.deepEqual(value, { kind: 'scale', replicas: 1 });
    assert.equal(schema.safeParse(value).success, true);
  });

  it('respects patterns, exclusive bounds, $refs and allOf', () => {
    assert.equal(instanceOf(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)), 'a');
    assert.equal((schemaInstance({ type: 'number', exclusiveMinimum: 0, maximum: 1 }) as number) > 0, true);
    assert.equal(schemaInstance({ type: 'integer', exclusiveMinimum: 0 }), 1);
    assert.equal(schemaInstance({ type: 'integer', maximum: -3 }), -3);
    assert.deepEqual(
      schemaInstance({
        type: 'object',
        properties: { a: { $ref: '#/$defs/n' } },
        required: ['a'],
        $defs: { n: { type: 'integer', minimum: 7 } },
      }),
      { a: 7 },
    );
    assert.deepEqual(
      schemaInstance({ allOf: [{ type: 'object', required: ['a'], properties: { a: { const: 1 } } }] }),
      { a: 1 },
    );
  });

  it('answers a loose schema (a record of unknowns) with an empty object', () => {
    assert.deepEqual(instanceOf(z.record(z.string(), z.unknown())), {});
    assert.deepEqual(schemaInstance({}), {});
    assert.deepEqual(schemaInstance(true), {});
  });

  it('refuses a schema no value can satisfy, saying where', () => {
    const cases: [unknown, RegExp][] = [
      [false, /#: the schema false admits no value/],
      [{ enum: [] }, /#: an empty enum/],
      [{ type: 'string', minLength: 5, maxLength: 2 }, /minLength 5 is above maxLength 2/],
      [{ type: 'integer', minimum: 3, maximum: 2 }, /no integer in the bounds/],
      [{ type: 'string', pattern: '^[Z]{3}$' }, /no simple string matches/],
      [{ type: 'object', required: ['a'], additionalProperties: false }, /"a" is required but not allowed/],
      [{ $ref: '#/$defs/missing' }, /points at nothing/],
      [{ $ref: 'https://example.com/s.json' }, /only local \$refs/],
      [{ not: {} }, /cannot tell what type/],
    ];
    for (const [schema, message] of cases)
      assert.throws(
        () => schemaInstance(schema as Record<string, unknown>),
        (e: unknown) => e instanceof SchemaInstanceError && message.test(e.message),
        JSON.stringify(schema),
      );
  });
});
