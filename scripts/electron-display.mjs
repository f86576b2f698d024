// Can Electron open a window here? On Linux and the BSDs it needs an X or Wayland display; a shell
// over SSH, a container or CI has none, and Electron then exits at once ("Missing X server or
// $DISPLAY"). Shared by `npm start` (scripts/start.mjs), which opens the browser mode instead, and the
// Electron smoke test, which is skipped.
import { spawnSync } from 'node:child_process';

/** Why Electron cannot open a window on this platform and environment, or null when it can. */
export function noDisplayReason(platform = process.platform, env = process.env) {
  if (!['linux', 'freebsd', 'openbsd'].includes(platform)) return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'DISPLAY and WAYLAND_DISPLAY are unset (run it under xvfb-run, or where there is a desktop)';
}

/**
 * Why the Electron binary cannot run at all here, or null when it can: a binary missing a system
 * library (libnss3, libgbm, libasound2 on a minimal Linux) exits at once with "error while loading
 * shared libraries", before any window. Asked as plain Node (ELECTRON_RUN_AS_NODE, no window, ~0.1 s),
 * which loads the same libraries, so that `npm start` opens the browser mode instead of an Electron
 * that dies on launch. The reason is the binary's own first line of complaint.
 */
export function cannotRunReason(binary, run = spawnSync) {
  const r = run(binary, ['--version'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 30_000 });
  if (!r.error && r.status === 0) return null;
  const said = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
  const why = r.error ? r.error.message : said ?? (r.signal ? `it was stopped by ${r.signal}` : `it exited with code ${r.status}`);
  return `Electron is installed but cannot run here: ${why}${/shared librar/.test(why) ? ' (install the system libraries Electron needs, e.g. libnss3, libgbm1, libasound2)' : ''}`;
}
