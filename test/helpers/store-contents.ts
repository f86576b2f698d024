/**
 * What a database holds, every table's rows but the sessions' (store_sessions: each open Store
 * moves its seen_at every 30 s, store/sessions.ts, whatever a command does), for tests that check
 * a command wrote nothing. total_changes() counted those beats too, so a slow run of such a test
 * failed on a heartbeat (stop 47's CI, 2026-12-06).
 */
import type Database from 'better-sqlite3';

export function storeContents(db: Database.Database): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'store_sessions' ORDER BY name").pluck().all() as string[];
  return JSON.stringify(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).raw().all()]), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}
