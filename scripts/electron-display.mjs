// Can Electron open a window here? On Linux and the BSDs it needs an X or Wayland display; a shell
// over SSH, a container or CI has none, and Electron then exits at once ("Missing X server or
// $DISPLAY"). Shared by `npm start` (scripts/start.mjs), which opens the browser mode instead, and the
// Electron smoke test, which is skipped.

/** Why Electron cannot open a window on this platform and environment, or null when it can. */
export function noDisplayReason(platform = process.platform, env = process.env) {
  if (!['linux', 'freebsd', 'openbsd'].includes(platform)) return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'DISPLAY and WAYLAND_DISPLAY are unset (run it under xvfb-run, or where there is a desktop)';
}
