// Types for scripts/electron-display.mjs (tested in test/scripts/electron-display.test.ts).
export function noDisplayReason(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string | null;
export function cannotRunReason(binary: string, run?: (command: string, args: string[], options: object) => { status: number | null; signal?: string | null; stderr?: string; error?: Error }): string | null;
