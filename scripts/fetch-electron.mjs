// Fetches Electron's binary after `npm install`, without ever failing the install.
// package.json turns off electron's own install script ("allowScripts": {"electron": false}) because
// it aborts `npm ci` on machines that cannot reach Electron's download host (CI, offline labs).
// Here we try the same download once and only warn when it fails: the CLI, the browser mode and
// every test work without the binary; `npm start` falls back to the browser mode.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = 180_000;
let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0); // production install without devDependencies: nothing to fetch
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('aisle: ELECTRON_SKIP_BINARY_DOWNLOAD is set; not downloading the Electron binary.');
  process.exit(0);
}
if (existsSync(join(electronDir, 'path.txt'))) process.exit(0); // already installed
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: ['ignore', 'pipe', 'pipe'],
  timeout: TIMEOUT_MS,
  encoding: 'utf8',
});
if (result.status === 0 && existsSync(join(electronDir, 'path.txt'))) {
  console.log('aisle: Electron binary installed.');
} else {
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((l) => l.trim());
  const reason =
    /** @type {NodeJS.ErrnoException | undefined} */ (result.error)?.code === 'ETIMEDOUT'
      ? `no download within ${TIMEOUT_MS / 1000} s`
      : (output.find((l) => /error|ENOTFOUND|ECONN|timed out/i.test(l)) ?? (result.error ? String(result.error) : `its installer exited with ${result.status ?? result.signal}`));
  console.warn(`aisle: warning: could not download the Electron binary (${reason}).`);
  console.warn('aisle: the CLI, the browser mode (`npm start` falls back to it) and `npm test` work without it;');
  console.warn('aisle: to try again where Electron\'s download host can be reached: node scripts/fetch-electron.mjs');
}
