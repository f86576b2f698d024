/**
 * The main window's size and position, remembered between launches in a small JSON file in the
 * app's data folder. A remembered position is used only if the window would still be visible on
 * one of today's displays (a monitor may have been unplugged); otherwise it opens centred.
 * Pure functions over plain rectangles; imports no electron.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
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

/** The remembered state, or null when there is none or the file is unreadable (never throws). */
export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  try {
    makeDirectory(dirname(file));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state)}\n`);
    renameSync(tmp, file);
  } catch {
    // Not remembering the window's place is not worth failing a quit for.
  }
}

/**
 * The bounds to open with: the remembered ones when at least a 100×50 px piece of the title bar
 * region lies on some display's work area, else the default size (Electron centres it).
 */
export function restorableBounds(state: WindowState | null, workAreas: readonly Rect[]): Partial<Rect> & { width: number; height: number } {
  if (!state) return { ...DEFAULT_SIZE };
  const { bounds } = state;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 50) };
  const visible = workAreas.some((area) => {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return w >= 100 && h >= Math.min(50, titleBar.height);
  });
  if (visible) return { ...bounds };
  // Off-screen: keep the size (no larger than the biggest display) and let Electron centre it.
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height));
  return { width: Math.min(bounds.width, maxWidth), height: Math.min(bounds.height, maxHeight) };
}
