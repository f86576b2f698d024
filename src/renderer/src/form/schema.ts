/**
 * Reading the catalog's JSON Schemas for the experiment form: which input a parameter gets, its
 * allowed range in words, its default. Everything here is driven by the schema alone, so a new
 * environment or agent gets its form without UI work.
 */
import type { JsonSchema } from '../../../shared/dto';

/** The numeric constraints of a `number`/`integer` schema. */
export interface NumberSpec {
  readonly integer: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

export type FieldKind =
  | { readonly kind: 'number'; readonly spec: NumberSpec }
  | { readonly kind: 'enum'; readonly options: readonly (string | number)[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  /** anyOf a number and an object (epsilon: a constant or a schedule). */
  | { readonly kind: 'number-or-object'; readonly constant: JsonSchema; readonly object: JsonSchema }
  | { readonly kind: 'json' };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

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
  const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 12 });
  const lo = spec.exclusiveMinimum !== undefined ? `(${n(spec.exclusiveMinimum)}` : spec.minimum !== undefined ? `[${n(spec.minimum)}` : undefined;
  const hi = spec.exclusiveMaximum !== undefined ? `${n(spec.exclusiveMaximum)})` : spec.maximum !== undefined ? `${n(spec.maximum)}]` : undefined;
  const kind = spec.integer ? 'whole number ' : '';
  if (lo && hi) return `${kind}in ${lo}, ${hi}`;
  if (lo) return `${kind}${spec.exclusiveMinimum !== undefined ? '>' : '≥'} ${n(spec.exclusiveMinimum ?? spec.minimum!)}`;
  if (hi) return `${kind}${spec.exclusiveMaximum !== undefined ? '<' : '≤'} ${n(spec.exclusiveMaximum ?? spec.maximum!)}`;
  return spec.integer ? 'any whole number' : 'any number';
}

/** The `min`, `max` and `step` attributes of a number input. */
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

export interface MdpSummary {
  readonly name: string | null;
  readonly states: number;
  readonly actions: number;
}

/** Counts of an inline aisle.mdp/v1 object (`states` and `actions` are counts or label lists). */
export function mdpSummary(value: unknown): MdpSummary | null {
  if (!isObject(value)) return null;
  const count = (v: unknown) => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : NaN);
  const states = count(value.states);
  const actions = count(value.actions);
  if (!Number.isFinite(states) || !Number.isFinite(actions)) return null;
  return { name: typeof value.name === 'string' ? value.name : null, states, actions };
}

export function mdpText(m: MdpSummary): string {
  return `MDP: ${m.name ?? 'unnamed'}, ${m.states.toLocaleString('en-US')} states × ${m.actions.toLocaleString('en-US')} actions`;
}

/** A shop catalog held inline (the shop's `catalog`: `{ categories?, items: [...] }`), or null. */
export function catalogSummary(value: unknown): { items: number; categories: number } | null {
  if (!isObject(value) || !Array.isArray(value.items) || 'states' in value) return null;
  const categories = Array.isArray(value.categories)
    ? value.categories.length
    : new Set(value.items.map((item: unknown) => (isObject(item) ? item.category : undefined))).size;
  return { items: value.items.length, categories };
}

/** One line for a file held inline in an experiment (an MDP, a shop catalog), or null for anything else. */
export function inlineFileText(value: unknown): string | null {
  const m = mdpSummary(value);
  if (m) return mdpText(m);
  const c = catalogSummary(value);
  if (c) return `catalog: ${c.items.toLocaleString('en-US')} items in ${c.categories.toLocaleString('en-US')} categories`;
  return null;
}

export const MDP_FORMAT = 'aisle.mdp/v1';
export const EXPERIMENT_FORMAT = 'aisle.experiment/v1';
