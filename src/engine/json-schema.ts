/**
 * JSON Schemas from the zod schemas: the experiment file's (resources/schemas, the app's form) and
 * the file formats'. Every caller goes through jsonSchemaOf, so a part whose JSON Schema is costly
 * to build can give it lazily (lazyJsonSchema): an inline catalog or MDP is checked by its own
 * parser, and only its JSON Schema (for editors and the form) needs the file format's schema, which
 * took ~20 % of every `aisle` command's start when built as the modules loaded.
 */
import * as z from 'zod';

const lazy = new WeakMap<object, () => Record<string, unknown>>();

/** `schema`, whose JSON Schema is `make()` (made once, at the first jsonSchemaOf that meets it). */
export function lazyJsonSchema<T extends z.ZodType>(schema: T, make: () => Record<string, unknown>): T {
  let made: Record<string, unknown> | undefined;
  lazy.set(schema, () => (made ??= make()));
  return schema;
}

/** The JSON Schema of a file format (without its `$schema`), as a lazyJsonSchema part holds it. */
export function fileFormatJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = jsonSchemaOf(schema);
  return rest;
}

/** The input's JSON Schema (defaults optional), lazy parts filled in. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  // eslint-disable-next-line no-restricted-properties -- the one caller the rule sends everyone to
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const make = lazy.get(ctx.zodSchema);
      if (make) Object.assign(ctx.jsonSchema, make());
    },
  }) as Record<string, unknown>;
}
