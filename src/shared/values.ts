/** Small checks on untyped values (parsed JSON, form drafts), shared by the app and the main process. */

/** A plain object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
