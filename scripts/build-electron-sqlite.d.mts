// Types for scripts/build-electron-sqlite.mjs (tested in test/scripts/build-electron-sqlite.test.ts).
export const ELECTRON_BINDING: string;
export function electronSqliteTarget(): { electron: string; abi: string | null; betterSqlite3: string };
export function stampOf(binding: string): string;
export function electronSqliteBuildIsCurrent(binding?: string): boolean;
export function electronGypEnv(env: NodeJS.ProcessEnv, electronVersion: string): NodeJS.ProcessEnv;
export function addonAbi(file: string): string | null;
export function buildElectronSqlite(options?: {
  quiet?: boolean;
  out?: string;
  gyp?: string | null;
  env?: NodeJS.ProcessEnv;
}): { ok: true; path: string; electronVersion: string } | { ok: false; reason: string };
