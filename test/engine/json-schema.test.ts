import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { jsonSchemaOf, lazyJsonSchema } from '../../src/engine/json-schema';
import { findEnvironment } from '../../src/engine/registry';

describe('jsonSchemaOf', () => {
  it('builds a lazy part only when a JSON Schema is asked for, once, and writes it where the part sits', () => {
    let calls = 0;
    const part = lazyJsonSchema(z.looseObject({}), () => {
      calls += 1;
      return { type: 'object', properties: { rows: { type: 'array' } }, required: ['rows'] };
    });
    const schema = z.object({ name: z.string(), file: z.union([z.string(), part]) });
    expect(schema.parse({ name: 'x', file: { anything: 1 } })).toEqual({ name: 'x', file: { anything: 1 } });
    expect(calls).toBe(0);
    const json = jsonSchemaOf(schema) as { properties: { file: { anyOf: Record<string, unknown>[] } } };
    expect(json.properties.file.anyOf[1]).toMatchObject({ type: 'object', properties: { rows: { type: 'array' } }, required: ['rows'] });
    jsonSchemaOf(schema);
    expect(calls).toBe(1);
  });

  it("gives the shop's inline catalog and the tabular MDP's inline file their formats' schemas", () => {
    const shop = JSON.stringify(jsonSchemaOf(findEnvironment('shop')!.params));
    expect(shop).toContain('"quality"');
    const mdp = JSON.stringify(jsonSchemaOf(findEnvironment('tabular-mdp')!.params));
    expect(mdp).toContain('"transitions"');
  });
});
