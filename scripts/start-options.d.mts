// Types for scripts/start-options.mjs (tested in test/scripts/start-options.test.ts).
export const START_USAGE: string;
export class StartUsageError extends Error {}
export function parseStartOptions(argv: readonly string[]): { db: string | undefined; port: string | undefined; host: string | undefined; open: boolean | undefined };
export function databasePath<T extends string | undefined>(path: T, base: string): T;
