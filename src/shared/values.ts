/** Small checks on untyped values (parsed JSON, form drafts), shared by the app and the main process. */

// One definition, the engine's: the engine may not import src/shared, so the check lives there.
export { isObject } from '../engine/values';
