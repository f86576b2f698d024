/** Small checks on untyped values (parsed JSON), for the engine and, through src/shared/values.ts, the layers above it. */

/** A plain object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
