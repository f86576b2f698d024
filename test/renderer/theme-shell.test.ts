// The sidebar's Theme tells the desktop shell (window.aisle, the preload's bridge) on a choice and at
// start, so the window's frame, menus and background follow it; the browser mode has no bridge, and
// choosing still works there. The page's globals are stand-ins: the module only sets an attribute,
// writes storage and calls the bridge.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreloadApi } from '../../src/shared/client';
import { chooseTheme, tellShellTheChoice } from '../../src/renderer/src/color-scheme';

let html: { dataset: Record<string, string> };
let stored: Map<string, string>;

beforeEach(() => {
  html = { dataset: {} };
  stored = new Map();
  vi.stubGlobal('document', { documentElement: html });
  vi.stubGlobal('localStorage', { setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k) });
});
afterEach(() => vi.unstubAllGlobals());

function desktop() {
  const setTheme = vi.fn<PreloadApi['setTheme']>();
  vi.stubGlobal('window', { aisle: { setTheme } });
  return setTheme;
}

describe('the theme and the desktop shell', () => {
  it('tells the shell each choice', () => {
    const setTheme = desktop();
    chooseTheme('dark');
    chooseTheme('system');
    chooseTheme('light');
    expect(setTheme.mock.calls).toEqual([['dark'], ['system'], ['light']]);
    expect(html.dataset.theme).toBe('light');
  });

  it('tells the shell the stored choice at start (the shell may remember another)', () => {
    const setTheme = desktop();
    html.dataset.theme = 'dark'; // as public/theme.js leaves it
    tellShellTheChoice();
    delete html.dataset.theme;
    tellShellTheChoice();
    expect(setTheme.mock.calls).toEqual([['dark'], ['system']]);
  });

  it('has nothing to tell in the browser mode, where choosing works as before', () => {
    vi.stubGlobal('window', {});
    expect(() => tellShellTheChoice()).not.toThrow();
    chooseTheme('dark');
    expect(html.dataset.theme).toBe('dark');
    expect(stored.get('aisle.theme')).toBe('dark');
  });
});
