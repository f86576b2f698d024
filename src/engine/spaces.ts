/** Declared observation and action spaces (Gymnasium's Discrete and Box, the parts Aisle uses). */

export interface DiscreteSpace {
  readonly kind: 'discrete';
  /** Number of elements: values are the integers 0..n-1. */
  readonly n: number;
  /** Optional human-readable label per element (state or action names). */
  readonly labels?: readonly string[];
}

export interface BoxSpace {
  readonly kind: 'box';
  /** A flat vector of `size` float32 features. */
  readonly size: number;
  readonly low: number;
  readonly high: number;
  readonly labels?: readonly string[];
}

export type Space = DiscreteSpace | BoxSpace;

export function discrete(n: number, labels?: readonly string[]): DiscreteSpace {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a discrete space needs n ≥ 1, got ${n}`);
  if (labels && labels.length !== n) throw new RangeError(`${labels.length} labels for a space of ${n}`);
  return labels ? { kind: 'discrete', n, labels } : { kind: 'discrete', n };
}

export function box(size: number, low: number, high: number, labels?: readonly string[]): BoxSpace {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a box space needs size ≥ 1, got ${size}`);
  return labels ? { kind: 'box', size, low, high, labels } : { kind: 'box', size, low, high };
}

/** Whether a value lies in the space (used by checkEnv). */
export function contains(space: Space, value: unknown): boolean {
  if (space.kind === 'discrete') {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < space.n;
  }
  if (!(value instanceof Float32Array) || value.length !== space.size) return false;
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (!(v >= space.low && v <= space.high)) return false;
  }
  return true;
}

/** Label of element i of a discrete space (its label, or its index as text). */
export function labelOf(space: DiscreteSpace, i: number): string {
  return space.labels?.[i] ?? String(i);
}

export function describeSpace(space: Space): string {
  return space.kind === 'discrete' ? `Discrete(${space.n})` : `Box(${space.size}, [${space.low}, ${space.high}])`;
}
