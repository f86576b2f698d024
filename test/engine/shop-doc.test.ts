// docs/shop-simulator.md's parameter table against the schema the form and resources/schemas are
// generated from: every parameter has a row, with the schema's default and range.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopParams } from '../../src/engine/envs/shop';
import { jsonSchemaOf } from '../../src/engine/json-schema';

interface JsonField {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: string[];
  anyOf?: JsonField[];
  properties?: Record<string, JsonField>;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A number as the doc writes it: 0.5, −20, 100000, 10⁶, −10⁶, 2³¹ − 1. */
function docNumber(text: string): number {
  const t = text.trim().replace(/−/g, '-');
  const power = /^(-?)(\d+)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?: - (\d+))?$/.exec(t);
  if (power) {
    const exponent = Number([...power[3]!].map((c) => SUPERSCRIPTS.indexOf(c)).join(''));
    return (power[1] ? -1 : 1) * Number(power[2]) ** exponent - Number(power[4] ?? 0);
  }
  if (!/^-?\d+(\.\d+)?$/.test(t)) throw new Error(`not a number: "${text}"`);
  return Number(t);
}

/** A numeric field's range as the doc writes it: "integer [1, 100000]", "(0, 10⁶]", "[−20, 20]". */
function docRange(text: string): JsonField {
  const m = /^(integer )?([[(])(.+), (.+)([\])])$/.exec(text);
  if (!m) throw new Error(`not a range: "${text}"`);
  const [lo, hi] = [docNumber(m[3]!), docNumber(m[4]!)];
  return {
    type: m[1] ? 'integer' : 'number',
    ...(m[2] === '[' ? { minimum: lo } : { exclusiveMinimum: lo }),
    ...(m[5] === ']' ? { maximum: hi } : { exclusiveMaximum: hi }),
  };
}

const bounds = (f: JsonField): JsonField => {
  const keys = ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
  return Object.fromEntries(keys.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
};

/** The rows of the table under "## Parameters": name → [default, range] cells. */
function docTable(): Map<string, [string, string]> {
  const doc = readFileSync(resolve(__dirname, '../../docs/shop-simulator.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Parameters\n'), doc.indexOf('\n## ', doc.indexOf('\n## Parameters\n') + 1));
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (name) rows.set(name, [cells[2]!, cells[3]!.replace(/\\\|/g, '|')]);
  }
  return rows;
}

describe('docs/shop-simulator.md, "Parameters"', () => {
  const schema = jsonSchemaOf(shopParams) as { properties: Record<string, JsonField> };
  const fields = schema.properties;
  const rows = docTable();

  it('has a row for every parameter and for nothing else', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(fields).sort());
  });

  it('gives each parameter the schema’s default and range', () => {
    for (const [name, field] of Object.entries(fields)) {
      const [def, range] = rows.get(name)!;
      if (field.enum) {
        expect(def, name).toBe(field.default);
        expect(range.split('|').map((o) => o.trim().replace(/`/g, '')), name).toEqual(field.enum);
      } else if (field.type === 'boolean') {
        expect([def, range], name).toEqual([String(field.default), 'boolean']);
      } else if (field.type === 'object') {
        // { click 0.1, purchase 1, revenue 0 }, each in [−10⁶, 10⁶]
        const pairs = def.replace(/^\{ | \}$/g, '').split(', ').map((pair) => pair.split(' '));
        expect(Object.fromEntries(pairs.map(([k, v]) => [k, docNumber(v!)])), name).toEqual(field.default);
        const each = docRange(range.replace(/^each in /, ''));
        for (const [key, sub] of Object.entries(field.properties!)) expect(bounds(sub), `${name}.${key}`).toEqual(each);
      } else if (field.anyOf?.some((f) => f.type === 'null')) {
        // A number or null (shiftAt).
        expect(def, name).toBe(String(field.default));
        expect(range, name).toMatch(/ or null$/);
        expect(docRange(range.replace(/ or null$/, '')), name).toEqual(bounds(field.anyOf.find((f) => f.type !== 'null')!));
      } else if (field.type === 'number' || field.type === 'integer') {
        expect(docNumber(def), name).toBe(field.default);
        expect(docRange(range), name).toEqual(bounds(field));
      } else {
        // The catalog: a path or an object, without a default.
        expect([name, def, range]).toEqual(['catalog', '—', 'path or object']);
      }
    }
  });
});
