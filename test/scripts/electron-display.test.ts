// Whether Electron can open a window (scripts/electron-display.mjs): `npm start` opens the browser mode
// instead on a Linux machine without a display (SSH, a container, CI), where Electron, installed,
// exited at once ("Missing X server or $DISPLAY") after two minutes of building better-sqlite3 for it.
import { describe, expect, it } from 'vitest';
import { noDisplayReason } from '../../scripts/electron-display.mjs';

describe('a display for Electron', () => {
  it('is missing on Linux and the BSDs without DISPLAY or WAYLAND_DISPLAY, and says what to do', () => {
    for (const platform of ['linux', 'freebsd', 'openbsd'] as const) {
      expect(noDisplayReason(platform, {})).toBe('DISPLAY and WAYLAND_DISPLAY are unset (run it under xvfb-run, or where there is a desktop)');
      expect(noDisplayReason(platform, { DISPLAY: '' })).not.toBeNull();
    }
  });

  it('is there with an X or Wayland display, and always on macOS and Windows', () => {
    expect(noDisplayReason('linux', { DISPLAY: ':0' })).toBeNull();
    expect(noDisplayReason('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(noDisplayReason('darwin', {})).toBeNull();
    expect(noDisplayReason('win32', {})).toBeNull();
  });
});
