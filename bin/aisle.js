#!/usr/bin/env node
// The `aisle` command. Runs the built CLI (out/main/cli.js); in a source checkout it first rebuilds
// when any file under src/ is newer than the build, so `npx aisle` never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const src = join(root, 'src');
const stale = !existsSync(cli) || (existsSync(src) && newestMtime(src) > statSync(cli).mtimeMs);
if (stale) {
  process.stderr.write('aisle: building (first run or sources changed)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write('aisle: the build failed; run `npm run build` to see why\n');
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv);
