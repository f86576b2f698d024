// Types for scripts/build-if-stale.mjs (its lock is tested in test/scripts/build-lock.test.ts).
export function buildIfStale(): void;
export function withLock<T>(lockPath: string, fn: () => T): T;
