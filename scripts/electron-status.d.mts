// Types for scripts/electron-status.mjs (imported by the Electron smoke test).
export function electronBinary(): { path: string; reason: null } | { path: null; reason: string };
export function electronSqliteBinding(path?: string): string | null;
export function electronStatus(): { ok: true; binary: string; sqlite: string; reason: null } | { ok: false; binary: string | null; sqlite: null; reason: string };
