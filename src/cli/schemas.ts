/** `aisle schemas --out resources/schemas`: JSON Schemas generated from the zod schemas. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchemaOf } from '../engine/json-schema';
import { experimentJsonSchema } from '../engine/experiment';
import { mdpFileSchema } from '../engine/mdp/format';
import { policyFileSchema } from '../engine/policy/format';
import { printJson, reportLines, UsageError } from './context';
import { writeOutput } from './output-files';

export function allSchemas(): Record<string, unknown> {
  return {
    'experiment.schema.json': { $id: 'https://aisle.dev/schemas/experiment.schema.json', title: 'aisle.experiment/v1', ...(experimentJsonSchema() as object) },
    'mdp.schema.json': { $id: 'https://aisle.dev/schemas/mdp.schema.json', title: 'aisle.mdp/v1', ...jsonSchemaOf(mdpFileSchema) },
    'policy.schema.json': { $id: 'https://aisle.dev/schemas/policy.schema.json', title: 'aisle.policy/v1', ...jsonSchemaOf(policyFileSchema) },
  };
}

export function schemasCommand(opts: { out: string; json?: boolean }): number {
  const dir = resolve(opts.out);
  // Otherwise "--out x/experiment.schema.json: cannot write it (ENOTDIR …)", naming a path never given.
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${opts.out}: is a file, not a folder: give the folder to write the schemas in (made if missing)`);
  const schemas = Object.entries(allSchemas());
  for (const [name, schema] of schemas) writeOutput('--out', join(opts.out, name), `${JSON.stringify(schema, null, 2)}\n`);
  if (opts.json) printJson({ paths: schemas.map(([name]) => join(dir, name)) });
  else reportLines([`wrote ${schemas.length} schemas to ${dir}`]); // the folder given escaped
  return 0;
}
