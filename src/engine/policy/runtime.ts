/**
 * aisle-policy runtime: serves an exported `aisle.policy/v1` policy with no dependencies at all.
 * Copy this one file next to your service, load the policy JSON once, call `act(state)` per request.
 *
 *   import { loadPolicy } from './runtime.js';
 *   const policy = loadPolicy(readFileSync('policy.json', 'utf8'));
 *   policy.act(3);             // → action index, e.g. 1
 *   policy.actLabel('browse'); // → action label, e.g. "recommend-shoes"
 *
 * It checks the file's shape, sizes and finiteness before serving, so a corrupt policy fails at
 * load time with a message naming the field, never with a wrong recommendation later.
 */

export interface LoadedPolicy {
  readonly format: 'aisle.policy/v1';
  readonly kind: 'tabular';
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** Action index for a state index or state label. */
  act(state: number | string): number;
  /** Action label for a state index or state label. */
  actLabel(state: number | string): string;
  /** The action values of a state (a copy). */
  values(state: number | string): number[];
}

const MAX_STATES = 1_000_000;
const MAX_ACTIONS = 10_000;
const MAX_CELLS = 10_000_000;

export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
}

function fail(message: string): never {
  throw new PolicyLoadError(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labels(v: unknown, field: string, max: number): string[] {
  if (!Array.isArray(v)) fail(`policy.${field}: must be an array of labels`);
  if (v.length === 0 || v.length > max) fail(`policy.${field}: has ${v.length} entries, allowed 1..${max}`);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') fail(`policy.${field}[${i}]: must be a string`);
  return v as string[];
}

/** Loads a policy from its JSON text or an already parsed object. Throws PolicyLoadError. */
export function loadPolicy(source: string | unknown): LoadedPolicy {
  let doc: unknown = source;
  if (typeof source === 'string') {
    try {
      doc = JSON.parse(source);
    } catch (e) {
      fail(`policy: malformed JSON (${(e as Error).message})`);
    }
  }
  if (!isRecord(doc)) fail('policy: must be a JSON object');
  if (doc.format !== 'aisle.policy/v1') fail(`policy.format: must be "aisle.policy/v1", got ${JSON.stringify(doc.format)}`);
  if (doc.kind !== 'tabular') fail(`policy.kind: this runtime serves "tabular" policies, got ${JSON.stringify(doc.kind)}`);
  const states = labels(doc.states, 'states', MAX_STATES);
  const actions = labels(doc.actions, 'actions', MAX_ACTIONS);
  if (states.length * actions.length > MAX_CELLS) fail(`policy.q: ${states.length}×${actions.length} values exceed the ${MAX_CELLS} limit`);
  const q = doc.q;
  if (!Array.isArray(q) || q.length !== states.length) fail(`policy.q: must have one row per state (${states.length}), got ${Array.isArray(q) ? q.length : typeof q}`);
  const table = new Float64Array(states.length * actions.length);
  for (let s = 0; s < states.length; s++) {
    const row = q[s];
    if (!Array.isArray(row) || row.length !== actions.length) fail(`policy.q[${s}]: must have one value per action (${actions.length}), got ${Array.isArray(row) ? row.length : typeof row}`);
    for (let a = 0; a < actions.length; a++) {
      const v = row[a];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`policy.q[${s}][${a}]: must be a finite number, got ${JSON.stringify(v)}`);
      table[s * actions.length + a] = v;
    }
  }
  const greedy = doc.greedy;
  if (!Array.isArray(greedy) || greedy.length !== states.length) fail(`policy.greedy: must have one action per state (${states.length})`);
  const choice = new Int32Array(states.length);
  for (let s = 0; s < states.length; s++) {
    const a = greedy[s];
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= actions.length) fail(`policy.greedy[${s}]: must be an action index in 0..${actions.length - 1}, got ${JSON.stringify(a)}`);
    choice[s] = a;
  }
  const index = new Map<string, number>();
  states.forEach((label, i) => index.set(label, i));
  const stateIndex = (state: number | string): number => {
    if (typeof state === 'number') {
      if (Number.isInteger(state) && state >= 0 && state < states.length) return state;
      throw new RangeError(`state ${state} is out of range: the policy has ${states.length} states (0..${states.length - 1})`);
    }
    const i = index.get(state);
    if (i === undefined) throw new RangeError(`unknown state label ${JSON.stringify(state)}`);
    return i;
  };
  return {
    format: 'aisle.policy/v1',
    kind: 'tabular',
    states,
    actions,
    act: (state) => choice[stateIndex(state)]!,
    actLabel: (state) => actions[choice[stateIndex(state)]!]!,
    values: (state) => {
      const s = stateIndex(state);
      return Array.from(table.subarray(s * actions.length, (s + 1) * actions.length));
    },
  };
}
