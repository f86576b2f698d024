/**
 * What the main window opens with, remembered between launches in small JSON files in the app's
 * data folder: its size and position, and the theme (so its first colour is the page's). A
 * remembered position is used only if the window would still be visible on one of today's displays
 * (a monitor may have been unplugged); otherwise it opens centred. Imports no electron.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { THEME_CHOICES, type ThemeChoice } from '../shared/client';
import { makeDirectory } from './make-dir';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 800, height: 560 } as const;

const finite = z.number().int().min(-100_000).max(100_000);
const stateSchema = z.object({
  bounds: z.object({ x: finite, y: finite, width: finite.min(MIN_SIZE.width), height: finite.min(MIN_SIZE.height) }),
  maximized: z.boolean().default(false),
});

/** A remembered value, or null when there is none or the file is unreadable (never throws). */
function load<T>(file: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
function save(file: string, value: unknown): void {
  try {
    makeDirectory(dirname(file));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(value)}\n`);
    renameSync(tmp, file);
  } catch {
    // Not remembering the window's place or colour is not worth failing a quit or a click for.
  }
}

export function loadWindowState(file: string): WindowState | null {
  return load(file, stateSchema);
}

export function saveWindowState(file: string, state: WindowState): void {
  save(file, state);
}

export const themeChoice = z.enum(THEME_CHOICES);
const themeSchema = z.object({ theme: themeChoice });

/** The theme last chosen in the page; System when none was (or the file is unreadable). */
export function loadTheme(file: string): ThemeChoice {
  return load(file, themeSchema)?.theme ?? 'system';
}

export function saveTheme(file: string, theme: ThemeChoice): void {
  save(file, { theme });
}

/**
 * The page's background (styles.css's `--bg`, light and dark), for the window to show before the
 * page paints and wherever it has not yet repainted (a resize): a test holds the two equal.
 */
export const PAGE_BACKGROUND = { light: '#f7f7f5', dark: '#111316' } as const;

/** The background the page will paint under `theme`; `osIsDark` decides System. */
export function windowBackground(theme: ThemeChoice, osIsDark: boolean): string {
  return PAGE_BACKGROUND[theme === 'system' ? (osIsDark ? 'dark' : 'light') : theme];
}

/**
 * The bounds to open with: the remembered ones when at least a 100×50 px piece of the title bar
 * region lies on some display's work area, else the default size (Electron centres it). A window
 * larger than the display it opens on (it was on a bigger one, since unplugged or set to a lower
 * resolution) is cut to that display and put at its edge, so its far edges can be reached.
 */
export function restorableBounds(state: WindowState | null, workAreas: readonly Rect[]): Partial<Rect> & { width: number; height: number } {
  if (!state) return { ...DEFAULT_SIZE };
  const { bounds } = state;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 50) };
  // The display holding the most of the title bar, among those holding enough of it to grab.
  let home: Rect | undefined;
  let most = 0;
  for (const area of workAreas) {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    if (w >= 100 && h >= Math.min(50, titleBar.height) && w * h > most) [home, most] = [area, w * h];
  }
  if (home) {
    const fitted = { ...bounds };
    if (bounds.width > home.width) Object.assign(fitted, { x: home.x, width: Math.max(MIN_SIZE.width, home.width) });
    if (bounds.height > home.height) Object.assign(fitted, { y: home.y, height: Math.max(MIN_SIZE.height, home.height) });
    return fitted;
  }
  // Off-screen: keep the size (no larger than the biggest display) and let Electron centre it.
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height));
  return { width: Math.min(bounds.width, maxWidth), height: Math.min(bounds.height, maxHeight) };
}
