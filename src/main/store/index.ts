/** The run store's public API: open a Store, and the row types it hands out. */
export { Store } from './store';
export { openDatabase, BUSY_TIMEOUT_MS } from './db';
export { defaultDbPath, resolveDbPath, type ResolveDbPathOptions } from './paths';
export { migrate, schemaVersion, LATEST_VERSION, MIGRATIONS, SchemaTooNewError, NotAisleDatabaseError, type Migration } from './migrations';
export { ActiveRunError, DamagedDataError, NotFoundError, NotResumableError, IllegalTransitionError, type StoredThing } from './errors';
export { RESUMABLE_FROM, type ResumedRun } from './run-states';
export { CHUNK_EPISODES } from './downsample';
// The row types it hands out, every one of them (and RUN_STATUSES): types.ts holds nothing else.
export * from './types';
