/**
 * Reading the catalog's JSON Schemas for the experiment form: which input a parameter gets, its
 * allowed range in words, its default. Everything here is driven by the schema alone, so a new
 * environment or agent gets its form without UI work.
 */
import type { JsonSchema } from '../../../shared/dto';
import { rangeNumber } from '../../../engine/params';
import { isObject } from '../../../shared/values';

/** The numeric constraints of a `number`/`integer` schema. */
export interface NumberSpec {
  readonly integer: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

/** Whether `x` is in the range (a sweep's example value, a bound a random search's draw can reach). */
export function inRange(x: number, spec: NumberSpec): boolean {
  return (
    (spec.minimum === undefined || x >= spec.minimum) &&
    (spec.maximum === undefined || x <= spec.maximum) &&
    (spec.exclusiveMinimum === undefined || x > spec.exclusiveMinimum) &&
    (spec.exclusiveMaximum === undefined || x < spec.exclusiveMaximum)
  );
}

/** Whether `x` is a value of the field: in its range, and whole where the field takes whole numbers. */
export function takesNumber(x: number, spec: NumberSpec): boolean {
  return inRange(x, spec) && (!spec.integer || Number.isInteger(x));
}

export type FieldKind =
  | { readonly kind: 'number'; readonly spec: NumberSpec }
  | { readonly kind: 'enum'; readonly options: readonly (string | number)[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  /** anyOf a number and an object (epsilon: a constant or a schedule). */
  | { readonly kind: 'number-or-object'; readonly constant: JsonSchema; readonly object: JsonSchema }
  | { readonly kind: 'json' };

function branches(schema: JsonSchema): JsonSchema[] {
  const list = schema.anyOf ?? schema.oneOf;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function isNumberSchema(schema: JsonSchema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/** Bounds at or beyond ±2^53 are "no bound" (zod writes MAX_SAFE_INTEGER for `.int()`). */
function bound(v: unknown): number | undefined {
  return typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;
}

export function numberSpec(schema: JsonSchema): NumberSpec {
  const spec: { -readonly [K in keyof NumberSpec]: NumberSpec[K] } = { integer: schema.type === 'integer' };
  const minimum = bound(schema.minimum);
  const maximum = bound(schema.maximum);
  const exclusiveMinimum = bound(schema.exclusiveMinimum);
  const exclusiveMaximum = bound(schema.exclusiveMaximum);
  if (minimum !== undefined) spec.minimum = minimum;
  if (maximum !== undefined) spec.maximum = maximum;
  if (exclusiveMinimum !== undefined) spec.exclusiveMinimum = exclusiveMinimum;
  if (exclusiveMaximum !== undefined) spec.exclusiveMaximum = exclusiveMaximum;
  return spec;
}

export function fieldKind(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum)) return { kind: 'enum', options: schema.enum as (string | number)[] };
  if (isNumberSchema(schema)) return { kind: 'number', spec: numberSpec(schema) };
  if (schema.type === 'boolean') return { kind: 'boolean' };
  if (schema.type === 'string') return { kind: 'string' };
  const options = branches(schema);
  if (options.length === 2) {
    const constant = options.find(isNumberSchema);
    const object = options.find((o) => o.type === 'object' && isObject(o.properties));
    if (constant && object) return { kind: 'number-or-object', constant, object };
  }
  return { kind: 'json' };
}

/** "in (0, 1]", "≥ 1", "whole number in [1, 1000]": the allowed values in the user's words. */
export function rangeText(spec: NumberSpec): string {
  const n = rangeNumber;
  const lo = spec.exclusiveMinimum !== undefined ? `(${n(spec.exclusiveMinimum)}` : spec.minimum !== undefined ? `[${n(spec.minimum)}` : undefined;
  const hi = spec.exclusiveMaximum !== undefined ? `${n(spec.exclusiveMaximum)})` : spec.maximum !== undefined ? `${n(spec.maximum)}]` : undefined;
  const kind = spec.integer ? 'whole number ' : '';
  if (lo && hi) return `${kind}in ${lo}, ${hi}`;
  if (lo) return `${kind}${spec.exclusiveMinimum !== undefined ? '>' : '≥'} ${n(spec.exclusiveMinimum ?? spec.minimum!)}`;
  if (hi) return `${kind}${spec.exclusiveMaximum !== undefined ? '<' : '≤'} ${n(spec.exclusiveMaximum ?? spec.maximum!)}`;
  return spec.integer ? 'any whole number' : 'any number';
}

/**
 * A number or null (the shop's shiftAt: null for no drift): edited as JSON, but swept as a number
 * is, `null, 2000, 4000`, as `aisle run --set env.shiftAt=null,2000,4000` reads it.
 */
export function isNullableNumber(schema: JsonSchema): boolean {
  return nullableNumberSpec(schema) !== undefined;
}

/** A number-or-null's number (its range), or undefined for any other schema. */
export function nullableNumberSpec(schema: JsonSchema): NumberSpec | undefined {
  const options = branches(schema);
  const number = options.find(isNumberSchema);
  return options.length === 2 && number && options.some((o) => o.type === 'null') ? numberSpec(number) : undefined;
}

/**
 * The hint of a field edited as JSON: "JSON", and for a list of numbers (a network's layer widths)
 * how many and in what range, as a number field's hint says it: "JSON: 1 to 4 whole numbers, each
 * in [1, 1024]"; for a number or null (the shop's shiftAt) the number's range: "JSON: whole number in
 * [0, 100,000,000], or null". Without them the bounds were only in the help's prose, or nowhere.
 */
export function jsonHint(schema: JsonSchema): string {
  const nullable = nullableNumberSpec(schema);
  if (nullable) return `JSON: ${rangeText(nullable)}, or null`;
  const items = schema.items;
  if (schema.type !== 'array' || !isObject(items) || !isNumberSchema(items)) return 'JSON';
  const spec = numberSpec(items);
  const range = rangeText({ ...spec, integer: false });
  return `JSON: ${countText(schema)}${spec.integer ? 'whole numbers' : 'numbers'}${range === 'any number' ? '' : `, each ${range}`}`;
}

/** How many items a list takes, before their noun: "1 to 4 ", "3 ", "at most 4 "; '' for any number of them. */
function countText(schema: JsonSchema): string {
  const least = bound(schema.minItems) || undefined; // at least 0 says nothing
  const most = bound(schema.maxItems);
  if (least !== undefined && most !== undefined) return least === most ? `${rangeNumber(least)} ` : `${rangeNumber(least)} to ${rangeNumber(most)} `;
  if (least !== undefined) return `at least ${rangeNumber(least)} `;
  return most !== undefined ? `at most ${rangeNumber(most)} ` : '';
}

/** The range a number field's ArrowUp and ArrowDown keep to, and the step they take. */
export function inputAttributes(spec: NumberSpec): { min?: number; max?: number; step: number | 'any' } {
  const min = spec.minimum ?? spec.exclusiveMinimum;
  const max = spec.maximum ?? spec.exclusiveMaximum;
  const unit = !spec.integer && min !== undefined && max !== undefined && max - min <= 1;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), step: spec.integer ? 1 : unit ? 0.01 : 'any' };
}

/** The parameters of a component's schema, in declaration order, without `id`. */
export function parameters(schema: JsonSchema): [string, JsonSchema][] {
  const props = isObject(schema.properties) ? schema.properties : {};
  return Object.entries(props).filter((e): e is [string, JsonSchema] => e[0] !== 'id' && isObject(e[1]));
}

/** Every parameter that has a default, with that default (copied, so edits never touch the catalog). */
export function defaults(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of parameters(schema)) if ('default' in prop) out[key] = structuredClone(prop.default);
  return out;
}

export function describeOf(schema: JsonSchema): string | undefined {
  return typeof schema.description === 'string' ? schema.description : undefined;
}

// One-line summaries of files held inline (an MDP, a shop catalog), shared with the CLI.
export { catalogSummary, inlineFileText, mdpSummary, mdpText, type MdpSummary } from '../../../shared/inline-files';

export const MDP_FORMAT = 'aisle.mdp/v1';
export const EXPERIMENT_FORMAT = 'aisle.experiment/v1';
