/**
 * The app's door to results files (experiments.exportResults / importResults): experiments
 * exported as bytes to save, a picked file's bytes imported. Run in a worker thread of its own on a
 * connection it opens to the database file (see run-in-worker.ts): a 48 MB file copied on the
 * service's thread held up every other call and the storing of live training's metrics for its
 * duration. A better-sqlite3 connection cannot cross threads, so the worker opens the file as
 * every process does (WAL, foreign keys, the busy timeout); WAL lets it read and write beside the
 * service's connection. The service runs the same functions on its own connection for an
 * in-memory database, which no other connection can open.
 */
import type Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../store/db';
import type { ResultsExport, ResultsImport } from '../../shared/dto';
import { exportResults } from './export';
import { RESULTS_EXTENSION } from './format';
import { importResults } from './import';
import { inScratchFolder } from './scratch';

/** A results export or import for a worker: the database by its path, and what the contract call gave. */
export type ResultsTask =
  | { readonly type: 'export-results'; readonly database: string; readonly ids: readonly number[] }
  | { readonly type: 'import-results'; readonly database: string; readonly base64: string; readonly fileName: string };

/**
 * The experiments `ids` of the database `db` as a results file's bytes (base64), with the name to
 * save it under. `sourceDatabase`: the database's path (its file name is recorded in the file).
 */
export function exportResultsBytes(db: Database.Database, ids: readonly number[], sourceDatabase: string): ResultsExport {
  return inScratchFolder((folder) => {
    const file = join(folder, `results${RESULTS_EXTENSION}`);
    const { experiments } = exportResults({ db }, ids, file, sourceDatabase);
    const first = experiments[0]!;
    const fileName = `${experiments.length === 1 ? `experiment-${first.id}` : `experiments-${experiments.map((e) => e.id).join('-')}`}${RESULTS_EXTENSION}`;
    return { fileName: fileName.length > 100 ? `experiments${RESULTS_EXTENSION}` : fileName, base64: readFileSync(file).toString('base64'), experiments };
  });
}

/** A picked results file's bytes (base64) imported into the database `db`; errors name it `fileName`, as the user picked it. */
export function importResultsBytes(db: Database.Database, base64: string, fileName: string): ResultsImport {
  return inScratchFolder((folder) => {
    const file = join(folder, `picked${RESULTS_EXTENSION}`);
    writeFileSync(file, Buffer.from(base64, 'base64'));
    return importResults({ db }, file, { shownAs: fileName });
  });
}

/** In the worker: the task done on a connection of its own, closed after it (an import's transaction committed or rolled back). */
export function runResultsTask(task: ResultsTask): ResultsExport | ResultsImport {
  const db = openDatabase(task.database);
  try {
    return task.type === 'export-results' ? exportResultsBytes(db, task.ids, task.database) : importResultsBytes(db, task.base64, task.fileName);
  } finally {
    db.close();
  }
}
