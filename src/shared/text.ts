/** Wording shared by the CLI, the main process and the app (the engine's own is in engine/params.ts). */
export { plural } from '../engine/params';
