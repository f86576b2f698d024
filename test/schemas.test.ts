// The JSON Schemas in resources/schemas are generated from the zod schemas and must be current.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSchemas } from '../src/cli/schemas';

describe('resources/schemas', () => {
  for (const [name, schema] of Object.entries(allSchemas())) {
    it(`${name} is up to date (regenerate with \`npm run schemas\`)`, () => {
      const committed = JSON.parse(readFileSync(resolve(__dirname, '../resources/schemas', name), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
