/**
 * Whether the form can hold an experiment file the service refused, so that Import… opens it with
 * each problem under its field (as an experiment stored before a newer rule opens) instead of one
 * refusal at the top: alpha 7 or episodes -1 are values the form shows and the user can fix there.
 * Not a file it cannot show: another format, an environment or agent this Aisle lacks, a field it
 * has no place for, or a value of a type its field cannot hold (text where a number goes). A file
 * parameter naming a file by its path (`"mdp": "cliff.mdp.json"`) goes in as the service read and
 * checked it (experiments.parseFile's namedFiles); one it could not read refuses the file.
 */
import type { Catalog, JsonSchema } from '../../../shared/dto';
import { isObject } from '../../../shared/values';
import { EXPERIMENT_FORMAT } from './schema';

/** Whether `value` has the shape `schema` gives it, its ranges aside (they are what the form says under a field). */
function fits(schema: JsonSchema, value: unknown): boolean {
  if (value === undefined) return true; // left out: the field starts at its default, or says it is needed
  if (Array.isArray(schema.enum)) return schema.enum.includes(value);
  if ('const' in schema) return schema.const === value;
  const options = [schema.anyOf, schema.oneOf].find(Array.isArray) as JsonSchema[] | undefined;
  if (options) return options.some((o) => isObject(o) && fits(o, value));
  switch (schema.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value); // 1.5 for a whole number is a range problem, said under its field
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value) && (!isObject(schema.items) || value.every((v) => fits(schema.items as JsonSchema, v)));
    case 'object':
      return isObject(value) && fitsObject(schema, value);
    default:
      return true; // a schema that names no type takes any JSON, as the field edited as JSON does
  }
}

function fitsObject(schema: JsonSchema, value: Readonly<Record<string, unknown>>, skip: ReadonlySet<string> = new Set()): boolean {
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const rest = isObject(schema.additionalProperties) ? (schema.additionalProperties as JsonSchema) : undefined;
  return Object.entries(value).every(([key, v]) => {
    if (skip.has(key)) return true;
    const prop = props?.[key];
    if (isObject(prop)) return fits(prop, v);
    if (rest) return fits(rest, v);
    return props === undefined; // a field the form has no place for
  });
}

/**
 * The file's JSON when the form can show every value in it (see the top of this file), else
 * undefined; `namedFiles` (by field, `env.mdp`): the files it names by path, in their place.
 */
export function openableAnyway(catalog: Catalog, text: string, namedFiles: Readonly<Record<string, unknown>> = {}): Record<string, unknown> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json) || json.format !== EXPERIMENT_FORMAT) return undefined;
  if (!fitsObject(catalog.experimentSchema, json, new Set(['env', 'agent']))) return undefined;
  const opened: Record<string, unknown> = { ...json };
  for (const [which, entries] of [['env', catalog.environments], ['agent', catalog.agents]] as const) {
    const written = json[which];
    const entry = isObject(written) ? entries.find((e) => e.id === written.id) : undefined;
    if (!entry || !isObject(written)) return undefined;
    // A file named by its path, as the service read it; an inline file (an MDP, a catalog) goes to
    // its field as it is, which the service's check speaks under.
    const files = new Set(entry.fileParams);
    const component: Record<string, unknown> = { ...written };
    for (const key of files) {
      const field = `${which}.${key}`;
      if (typeof component[key] === 'string' && Object.prototype.hasOwnProperty.call(namedFiles, field)) component[key] = namedFiles[field];
    }
    if ([...files].some((key) => key in component && !isObject(component[key]))) return undefined; // a path the service did not read
    if (!fitsObject(entry.schema, component, new Set(['id', ...files]))) return undefined;
    opened[which] = component;
  }
  return opened;
}
