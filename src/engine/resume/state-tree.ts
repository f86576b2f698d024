/**
 * The mutable state of an environment or agent object, captured by walking its fields, and
 * written back into a fresh object built from the same run spec: what pausing a run keeps and
 * resuming it restores (tables, network weights, optimiser moments, replay buffers, generators,
 * schedule positions, a shop's drift…).
 *
 * One walker rather than a save/load pair per class: a pair must name every field, and a field
 * added later and forgotten in it would make a resumed run drift silently from a straight one. The
 * walker cannot forget a field. What it cannot see is state kept in a closure; the bit-for-bit
 * tests (test/engine/resume.test.ts) hold every checkpointable agent to a straight run, and
 * {@link RESUMABLE_AGENTS} lists only the agents they cover.
 *
 * The captured tree is JSON (numbers that JSON cannot hold as tagged strings) with typed arrays
 * set aside as blobs, copied. Functions (methods bound as fields, closures over fields), WebAssembly
 * objects and raw ArrayBuffers (their contents are reached through the typed-array views onto them)
 * are skipped, and so is what a class marks with {@link constantState} or {@link cacheState}. An object met a second time (two fields naming one table) is captured once: the
 * fresh object graph, built by the same code, aliases it the same way.
 */

/** A captured value: JSON, with tagged objects for typed arrays, repeated references and odd numbers. */
export type StateNode =
  | string
  | number
  | boolean
  | null
  | StateNode[]
  | { readonly $blob: number }
  | { readonly $number: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { readonly $undefined: true }
  | { readonly $seen: true }
  | { readonly $fields: Record<string, StateNode> }
  | { readonly $custom: StateNode };

/**
 * For a class whose state the walker cannot reach through its fields (it lives in a WebAssembly
 * memory that grows, behind exports that keep addresses): the fields to keep instead of its own,
 * and how to take them back. Symbol-keyed, so no ordinary method (Rng's saveState) is mistaken for it.
 */
export const saveStateKey = Symbol('aisle.saveState');
export const loadStateKey = Symbol('aisle.loadState');

export interface CustomState {
  /** What to keep: plain values, typed arrays (copied by the walker) and objects walked as usual. */
  [saveStateKey](): Record<string, unknown>;
  /** Takes back what {@link saveStateKey} kept, read through `saved`. */
  [loadStateKey](saved: SavedFields): void;
}

/** A custom state's fields, as {@link CustomState} reads them back. */
export interface SavedFields {
  /** A plain value (a typed array comes as a fresh copy). */
  value(key: string): unknown;
  /** Restores the object kept under `key` into `target`, in place (nothing for a target marked constant or a cache, which a checkpoint may lack). */
  into(key: string, target: object): void;
  /** Whether the checkpoint holds `key` (one written by an older Aisle may hold other fields). */
  has(key: string): boolean;
}

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/** Thrown when a captured state does not fit the object it is restored into: the path names the field. */
export class StateMismatchError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'StateMismatchError';
  }
}

/**
 * Objects a checkpoint leaves out: data built from the run's settings that never changes (an MDP, a
 * shop's model), and caches. A restore leaves them alone too, where an older checkpoint holds them:
 * the fresh object, built by the same code from the same settings, holds the same constants already,
 * and its caches nothing yet.
 */
const leftOut = new WeakSet<object>();

/** Marks objects as never changing after they are built, so checkpoints leave them out (see {@link captureState}). */
export function constantState(...objects: object[]): void {
  for (const o of objects) leftOut.add(o);
}

/**
 * Marks caches, so checkpoints leave them out: their owner finds in the fresh object's caches that
 * nothing is computed yet, and computes the entries again as it asks for them, to the same values,
 * from the state the checkpoint keeps. The marks of what is current (versions, stale flags) are part
 * of the cache, left out with it.
 */
export function cacheState(...objects: object[]): void {
  for (const o of objects) leftOut.add(o);
}

/** Whether {@link constantState} or {@link cacheState} marked `value`. */
function isLeftOut(value: unknown): boolean {
  return typeof value === 'object' && value !== null && leftOut.has(value);
}

/** Captures `root`'s fields; typed arrays are copied into `blobs` and referred to by index. */
export function captureState(root: object, blobs: TypedArray[], path = 'state'): StateNode {
  return capture(root, blobs, new Set(), path);
}

function capture(value: unknown, blobs: TypedArray[], seen: Set<object>, path: string): StateNode {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return plainNumber(value) ? value : { $number: Object.is(value, -0) ? '-0' : (String(value) as 'NaN' | 'Infinity' | '-Infinity') };
  if (typeof value !== 'object') throw new StateMismatchError(path, `a ${typeof value} cannot be checkpointed`);
  if (seen.has(value)) return { $seen: true };
  seen.add(value);
  if (typeof (value as Partial<CustomState>)[saveStateKey] === 'function') {
    return { $custom: capture((value as CustomState)[saveStateKey](), blobs, seen, path) };
  }
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || value instanceof BigInt64Array || value instanceof BigUint64Array) throw new StateMismatchError(path, `a ${value.constructor.name} cannot be checkpointed`);
    blobs.push((value as TypedArray).slice());
    return { $blob: blobs.length - 1 };
  }
  if (Array.isArray(value)) return value.map((item, i) => capture(item, blobs, seen, `${path}[${i}]`));
  if (value instanceof Map || value instanceof Set) throw new StateMismatchError(path, `a ${value.constructor.name} cannot be checkpointed`);
  const fields: Record<string, StateNode> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (skipped(field)) continue;
    fields[key] = capture(field, blobs, seen, `${path}.${key}`);
  }
  return { $fields: fields };
}

/** Values a checkpoint leaves out: code, and memory reached through the typed-array views onto it. */
function skipped(value: unknown): boolean {
  return (
    isLeftOut(value) ||
    typeof value === 'function' ||
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) ||
    value instanceof WebAssembly.Memory ||
    value instanceof WebAssembly.Instance ||
    value instanceof WebAssembly.Module
  );
}

function plainNumber(x: number): boolean {
  return Number.isFinite(x) && !Object.is(x, -0);
}

/**
 * Writes a captured state back into `root`, a fresh object built by the same code from the same
 * settings: typed arrays are filled in place (so every view and alias of them sees the values),
 * numbers and the like assigned. A tree that does not fit (another agent, another size) throws a
 * StateMismatchError naming the field, possibly after some fields were written: restore into a
 * fresh object and drop it on error.
 */
export function restoreState(root: object, node: StateNode, blobs: readonly TypedArray[], path = 'state'): void {
  if (!isTagged(node, '$fields') && !isTagged(node, '$custom')) throw new StateMismatchError(path, 'expected an object');
  restoreValue(root, node, blobs, path);
}

function restoreFields(target: Record<string, unknown>, fields: Record<string, StateNode>, blobs: readonly TypedArray[], path: string): void {
  for (const [key, node] of Object.entries(fields)) {
    const at = `${path}.${key}`;
    const restored = restoreValue(target[key], node, blobs, at);
    if (!Object.is(restored, target[key])) target[key] = restored;
  }
}

/** The value to hold at `path`: `current` itself when it was restored in place. */
function restoreValue(current: unknown, node: StateNode, blobs: readonly TypedArray[], path: string): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (isLeftOut(current)) return current;
  if (Array.isArray(node)) {
    if (!Array.isArray(current)) throw new StateMismatchError(path, 'expected a list here, the run holds none');
    if (current.length === node.length) {
      node.forEach((item, i) => {
        const value = restoreValue(current[i], item, blobs, `${path}[${i}]`);
        if (!Object.is(value, current[i])) current[i] = value;
      });
    } else {
      // A list that grew or shrank (a queue of values): only one of plain values can be rebuilt.
      if (!node.every((item) => item === null || typeof item !== 'object' || isTagged(item, '$number'))) {
        throw new StateMismatchError(path, `holds ${current.length} items, the checkpoint ${node.length}`);
      }
      current.length = 0;
      for (const [i, item] of node.entries()) current.push(restoreValue(undefined, item, blobs, `${path}[${i}]`));
    }
    return current;
  }
  if (isTagged(node, '$number')) return Number(node.$number);
  if (isTagged(node, '$undefined')) return undefined;
  if (isTagged(node, '$seen')) return current;
  if (isTagged(node, '$blob')) {
    const blob = blobs[node.$blob];
    if (blob === undefined) throw new StateMismatchError(path, `refers to array ${node.$blob}, which the checkpoint lacks`);
    if (!ArrayBuffer.isView(current) || current.constructor !== blob.constructor) {
      throw new StateMismatchError(path, `expected a ${blob.constructor.name}, the run holds ${describe(current)}`);
    }
    const array = current as TypedArray;
    if (array.length !== blob.length) throw new StateMismatchError(path, `holds ${array.length} values, the checkpoint ${blob.length}`);
    array.set(blob as never);
    return current;
  }
  if (isTagged(node, '$custom')) {
    if (current === null || typeof current !== 'object' || typeof (current as Partial<CustomState>)[loadStateKey] !== 'function') {
      throw new StateMismatchError(path, `expected an object that restores its own state, the run holds ${describe(current)}`);
    }
    (current as CustomState)[loadStateKey](savedFields(node.$custom, blobs, path));
    return current;
  }
  if (isTagged(node, '$fields')) {
    if (current === null || typeof current !== 'object') throw new StateMismatchError(path, `expected an object, the run holds ${describe(current)}`);
    restoreFields(current as Record<string, unknown>, node.$fields, blobs, path);
    return current;
  }
  throw new StateMismatchError(path, 'is not a checkpointed value');
}

function savedFields(node: StateNode, blobs: readonly TypedArray[], path: string): SavedFields {
  if (!isTagged(node, '$fields')) throw new StateMismatchError(path, 'expected saved fields');
  const fields = node.$fields;
  const field = (key: string): StateNode => {
    const saved = fields[key];
    if (saved === undefined) throw new StateMismatchError(`${path}.${key}`, 'is missing from the checkpoint');
    return saved;
  };
  return {
    value: (key) => {
      const saved = field(key);
      if (isTagged(saved, '$blob')) {
        const blob = blobs[saved.$blob];
        if (blob === undefined) throw new StateMismatchError(`${path}.${key}`, `refers to array ${saved.$blob}, which the checkpoint lacks`);
        return blob.slice();
      }
      return restoreValue(undefined, saved, blobs, `${path}.${key}`);
    },
    into: (key, target) => void (isLeftOut(target) || restoreValue(target, field(key), blobs, `${path}.${key}`)),
    has: (key) => Object.hasOwn(fields, key),
  };
}

function isTagged<K extends '$blob' | '$number' | '$undefined' | '$seen' | '$fields' | '$custom'>(node: StateNode, tag: K): node is Extract<StateNode, Record<K, unknown>> {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, tag);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `a ${value.constructor?.name ?? 'object'}`;
}
