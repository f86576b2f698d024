// Types for scripts/electron-display.mjs (tested in test/scripts/electron-display.test.ts).
export function noDisplayReason(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string | null;
