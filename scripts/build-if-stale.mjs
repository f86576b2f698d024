// Rebuilds when any source is newer than the build (or the build is missing), so `npx aisle` and
// `npm start` never run stale code. Shared by bin/aisle.js and scripts/start.mjs.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
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

function isStale() {
  const built = OUTPUTS.every(existsSync) ? Math.min(...OUTPUTS.map((p) => statSync(p).mtimeMs)) : 0;
  // An installed package without sources (src/ absent) is never stale once built.
  if (built > 0 && !existsSync(join(root, 'src'))) return false;
  return built === 0 || Math.max(...INPUTS.map(newestMtime)) > built;
}

/**
 * Builds if needed; exits the process with a hint when the build fails. Two `aisle` commands
 * started at once would otherwise build at once, and one could import out/main/cli.js while the
 * other's build had just emptied out/: the second waits for the first's build, then finds the
 * build fresh.
 */
export function buildIfStale() {
  if (!isStale()) return;
  withLock(join(root, 'node_modules', '.aisle-build.lock'), () => {
    if (!isStale()) return;
    process.stderr.write('aisle: building (first run or sources changed)…\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
    if (r.status !== 0) {
      process.stderr.write('aisle: the build failed; run `npm run build` to see why\n');
      process.exit(1);
    }
  });
}

/**
 * Runs fn holding an exclusive lock file (created with O_EXCL, holding the owner's pid). A lock
 * whose owner is no longer alive (a build killed midway) is taken over; otherwise this waits.
 */
export function withLock(lockPath, fn) {
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner;
    try {
      owner = Number(readFileSync(lockPath, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    // An owner that has not written its pid yet reads as 0: wait for it like a live one.
    if (owner > 0 && !isAlive(owner)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // a synchronous sleep
  }
  try {
    return fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM'; // alive, someone else's
  }
}
