/**
 * The policy runtime as a user saves it (Policies' "Save the runtime", `aisle policies runtime`):
 * the built out/runtime/runtime.js, one dependency-free ES module, shipped with the app beside
 * out/main (electron-builder.yml packs it into app.asar, which Electron's fs reads like a folder).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorCode } from './make-dir';

/** The name it is saved under: README's examples import './runtime.js'. */
export const RUNTIME_FILE_NAME = 'runtime.js';

/** Where the build puts the runtime: out/runtime/runtime.js, beside out/main where the worker (`workerPath`) is. */
export function runtimePathBeside(workerPath: string): string {
  return join(dirname(workerPath), '..', 'runtime', RUNTIME_FILE_NAME);
}

/** The runtime's text, as built (byte for byte what the README's examples import). */
export function readPolicyRuntime(path: string): { fileName: string; text: string } {
  try {
    return { fileName: RUNTIME_FILE_NAME, text: readFileSync(path, 'utf8') };
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
    // Only a source checkout built without `tsc -p tsconfig.runtime.json` (electron-vite alone) lacks it.
    throw new Error(`the policy runtime is not in this build (${path} is missing): run \`npm run build\`, which builds it`, { cause: e });
  }
}
