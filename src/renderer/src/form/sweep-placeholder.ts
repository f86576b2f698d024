/**
 * The placeholder of a Sweep row's values: values its parameter takes. Every row showed
 * "0.1, 0.5, 0.9", values in [0, 1] that the row's own parameter may not take: episodes (a whole
 * number ≥ 1), a switch (exact: true or false), a choice (ranking: attractiveness, quality, …).
 */
import type { Catalog, JsonSchema } from '../../../shared/dto';
import { isObject } from '../../../shared/values';
import { entryOf, getAt, type Draft } from './draft';
import { fieldKind, inRange, nullableNumberSpec, numberSpec, parameters, takesNumber, type NumberSpec } from './schema';

const FRACTIONS = '0.1, 0.5, 0.9';

export function sweepPlaceholder(catalog: Catalog, draft: Draft, path: string): string {
  const keys = path.split('.');
  const schema = schemaAt(catalog, draft, keys);
  if (!schema) return FRACTIONS;
  const current = getAt(draft, keys);
  const nullable = nullableNumberSpec(schema);
  if (nullable) return `null, ${numberExamples(nullable, current)}`;
  const kind = fieldKind(schema);
  if (kind.kind === 'boolean') return 'true, false';
  if (kind.kind === 'enum') return kind.options.slice(0, 3).join(', ');
  if (kind.kind === 'number') return numberExamples(kind.spec, current);
  if (kind.kind === 'number-or-object') return numberExamples(numberSpec(kind.constant), current);
  return FRACTIONS;
}

/** The schema of a row's parameter: episodes, `env.key` or `agent.key`, or a schedule's field (`agent.epsilon.end`). */
function schemaAt(catalog: Catalog, draft: Draft, keys: readonly string[]): JsonSchema | undefined {
  if (keys.length === 1) {
    const props = catalog.experimentSchema.properties;
    const own = isObject(props) ? props[keys[0]!] : undefined;
    return isObject(own) ? own : undefined;
  }
  const [which, key, inner] = keys;
  if (which !== 'env' && which !== 'agent') return undefined;
  const entry = entryOf(catalog, draft, which);
  const schema = entry && parameters(entry.schema).find(([k]) => k === key)?.[1];
  if (!schema || inner === undefined) return schema;
  const kind = fieldKind(schema);
  return kind.kind === 'number-or-object' ? parameters(kind.object).find(([k]) => k === inner)?.[1] : undefined;
}

/** Two values in the range: fractions for a share (at most 1), else the field's value and twice it (or one more). */
function numberExamples(spec: NumberSpec, current: unknown): string {
  const top = spec.maximum ?? spec.exclusiveMaximum;
  if (!spec.integer && top !== undefined && top <= 1 && [0.1, 0.5, 0.9].every((x) => inRange(x, spec))) return FRACTIONS;
  const lowest = spec.minimum ?? (spec.exclusiveMinimum !== undefined ? (spec.integer ? Math.floor(spec.exclusiveMinimum) + 1 : spec.exclusiveMinimum + 1) : 1);
  const start = typeof current === 'number' && inRange(current, spec) ? current : lowest;
  const values = [start];
  for (const x of [start * 2, start + 1, start - 1, start / 2]) {
    if (values.length < 2 && !values.includes(x) && takesNumber(x, spec)) values.push(x);
  }
  return values.sort((a, b) => a - b).join(', ');
}
