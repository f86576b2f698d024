// The catalog catalog.get serves, built here from the registry without the service, for tests of
// the form's pure parts.
import { jsonSchemaOf } from '../../src/engine/json-schema';
import { experimentJsonSchema } from '../../src/engine/experiment';
import { agents, environments } from '../../src/engine/registry';
import type { Catalog } from '../../src/shared/dto';

const entry = (d: (typeof environments)[number] | (typeof agents)[number]) => ({
  id: d.id,
  title: d.title,
  description: d.description,
  schema: jsonSchemaOf(d.params),
  fileParams: 'fileParams' in d ? (d.fileParams ?? []) : [],
});

export const catalog: Catalog = { environments: environments.map(entry), agents: agents.map(entry), experimentSchema: experimentJsonSchema() as Record<string, unknown>, presets: [] };
