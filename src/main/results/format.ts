/**
 * The results file (aisle.results/v1): chosen experiments with their runs, metrics, checkpoints,
 * run states and policies, as a SQLite database in the store's own schema, plus one row saying
 * what it is, where it came from and when. What export and import share.
 */
import type Database from 'better-sqlite3';
import { RESULTS_FILE_ID } from '../store/db';

export const RESULTS_FORMAT = 'aisle.results/v1';

/** The extension export suggests; import reads any name. */
export const RESULTS_EXTENSION = '.aisle-results';

/**
 * `PRAGMA application_id` of a results file ("AiRs"), read from the file's header without reading
 * a table: tells a results file from an Aisle database (0) or another program's file at once.
 */
export const RESULTS_APPLICATION_ID = RESULTS_FILE_ID;

/**
 * The file's one row of provenance. Outside the numbered migrations: the store never reads it, and
 * migrating an older file forward leaves it as it was.
 */
export const RESULTS_META_SQL = `
  CREATE TABLE aisle_results (
    format          TEXT    NOT NULL,
    app_version     TEXT    NOT NULL,
    source_database TEXT    NOT NULL,
    source_host     TEXT    NOT NULL,
    exported_at     INTEGER NOT NULL
  ) STRICT;
`;

export type { ResultsOrigin } from '../../shared/dto';

/** The tables a results file copies, parents before children (the order inserts must follow). */
export const RESULTS_TABLES = ['experiments', 'runs', 'metric_series', 'metric_chunks', 'checkpoints', 'run_states', 'policies'] as const;
export type ResultsTable = (typeof RESULTS_TABLES)[number];

/**
 * The stored columns of `table` in `schema` (generated ones left out: SQLite computes them), read
 * from the schema itself so a column a later migration adds travels without this code changing.
 */
export function storedColumns(db: Database.Database, schema: string, table: ResultsTable): string[] {
  const rows = db.prepare<[string, string], { name: string; hidden: number }>('SELECT name, hidden FROM pragma_table_xinfo(?, ?)').all(table, schema);
  return rows.filter((r) => r.hidden === 0).map((r) => r.name);
}

/** `"a", "b"`: column names as SQL, quoted (they come from the schema, not from the user). */
export function columnList(columns: readonly string[], prefix = ''): string {
  return columns.map((c) => `${prefix}"${c}"`).join(', ');
}
