// Types for scripts/electron-status.mjs (imported by the Electron smoke test).
export function electronBinary(): { path: string; reason: null } | { path: null; reason: string };
export function sqliteBuiltForNode(): boolean;
export function electronStatus(): { ok: true; binary: string; reason: null } | { ok: false; binary: string | null; reason: string };
