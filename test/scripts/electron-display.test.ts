// Whether Electron can open a window (scripts/electron-display.mjs): `npm start` opens the browser mode
// instead on a Linux machine without a display (SSH, a container, CI), where Electron, installed,
// exited at once ("Missing X server or $DISPLAY") after two minutes of building better-sqlite3 for it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannotRunReason, noDisplayReason } from '../../scripts/electron-display.mjs';
import { tempDir } from '../helpers/tmp';

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

// Electron installed on a minimal Linux without libnss3 exited at once with 'error while loading shared
// libraries' where `npm start` had launched it (after building better-sqlite3 for it): it now asks
// the binary first, as plain Node, and opens the browser mode with the binary's own reason.
describe('an Electron binary that cannot run', () => {
  const fake = (script: string): string => {
    const file = join(tempDir(), 'electron');
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  it.skipIf(process.platform === 'win32')('is named by its own complaint, with the libraries to install', () => {
    const missing = fake('echo "electron: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory" >&2; exit 127');
    expect(cannotRunReason(missing)).toBe(
      'Electron is installed but cannot run here: electron: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory (install the system libraries Electron needs, e.g. libnss3, libgbm1, libasound2)',
    );
    expect(cannotRunReason(fake('exit 3'))).toBe('Electron is installed but cannot run here: it exited with code 3');
    expect(cannotRunReason(join(tempDir(), 'no-such-electron'))).toMatch(/^Electron is installed but cannot run here: spawnSync .*ENOENT/);
  });

  it.skipIf(process.platform === 'win32')('is not one that answers, asked as plain Node', () => {
    expect(cannotRunReason(fake('[ "$ELECTRON_RUN_AS_NODE" = 1 ] && echo v22.0.0 && exit 0; exit 1'))).toBeNull();
  });
});
