// Rebuilds when any source is newer than the build (or the build is missing), so `npx aisle` and
// `npm start` never run stale code. Shared by bin/aisle.js and scripts/start.mjs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS = ['out/main/index.js', 'out/main/cli.js', 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds if needed; exits the process with a hint when the build fails. */
export function buildIfStale() {
  const built = OUTPUTS.every(existsSync) ? Math.min(...OUTPUTS.map((p) => statSync(p).mtimeMs)) : 0;
  // An installed package without sources (src/ absent) is never stale once built.
  if (built > 0 && Math.max(...INPUTS.map(newestMtime)) <= built) return;
  if (built > 0 && !existsSync(join(root, 'src'))) return;
  process.stderr.write('aisle: building (first run or sources changed)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write('aisle: the build failed; run `npm run build` to see why\n');
    process.exit(1);
  }
}
