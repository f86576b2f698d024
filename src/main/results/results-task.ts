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
import { exportResults, type WrittenResults } from './export';
import { RESULTS_EXTENSION } from './format';
import { importResults } from './import';
import { inScratchFolder } from './scratch';

/**
 * A results export or import for a worker: the database by its path, what the contract call gave,
 * and the private folder to work in, which the thread that started the worker made and removes.
 */
export type ResultsTask =
  | { readonly type: 'export-results'; readonly database: string; readonly folder: string; readonly ids: readonly number[] }
  | { readonly type: 'import-results'; readonly database: string; readonly folder: string; readonly base64: string; readonly fileName: string }
  /** `aisle results export`: written to `file` itself (through its temporary beside it), so that Ctrl-C can stop it. */
  | { readonly type: 'export-results-file'; readonly database: string; readonly ids: readonly number[]; readonly file: string; readonly gate?: SharedArrayBuffer }
  /** `aisle results import`: the file read where it is, its checked copy made in `folder`, so that Ctrl-C can stop it. */
  | { readonly type: 'import-results-file'; readonly database: string; readonly folder: string; readonly file: string; readonly shownAs: string; readonly gate?: SharedArrayBuffer };

/** `fn` in `folder` when given (its maker removes it), else in a private folder of its own, removed after it. */
function inFolder<T>(folder: string | undefined, fn: (folder: string) => T): T {
  return folder === undefined ? inScratchFolder(fn) : fn(folder);
}

/**
 * The experiments `ids` of the database `db` as a results file's bytes (base64), with the name to
 * save it under. `sourceDatabase`: the database's path (its file name is recorded in the file).
 */
export function exportResultsBytes(db: Database.Database, ids: readonly number[], sourceDatabase: string, scratch?: string): ResultsExport {
  return inFolder(scratch, (folder) => {
    const file = join(folder, `results${RESULTS_EXTENSION}`);
    const { experiments } = exportResults({ db }, ids, file, sourceDatabase);
    const first = experiments[0]!;
    const fileName = `${experiments.length === 1 ? `experiment-${first.id}` : `experiments-${experiments.map((e) => e.id).join('-')}`}${RESULTS_EXTENSION}`;
    return { fileName: fileName.length > 100 ? `experiments${RESULTS_EXTENSION}` : fileName, base64: readFileSync(file).toString('base64'), experiments };
  });
}

/** A picked results file's bytes (base64) imported into the database `db`; errors name it `fileName`, as the user picked it. */
export function importResultsBytes(db: Database.Database, base64: string, fileName: string, scratch?: string): ResultsImport {
  return inFolder(scratch, (folder) => {
    const file = join(folder, `picked${RESULTS_EXTENSION}`);
    writeFileSync(file, Buffer.from(base64, 'base64'));
    return importResults({ db }, file, { shownAs: fileName, folder });
  });
}

/** In the worker: the task done on a connection of its own, closed after it (an import's transaction committed or rolled back). */
export function runResultsTask(task: ResultsTask): ResultsExport | ResultsImport | WrittenResults {
  const db = openDatabase(task.database);
  try {
    if (task.type === 'export-results-file') return exportResults({ db }, task.ids, task.file, task.database, task.gate);
    if (task.type === 'import-results-file') return importResults({ db }, task.file, { shownAs: task.shownAs, folder: task.folder, ...(task.gate ? { gate: task.gate } : {}) });
    return task.type === 'export-results' ? exportResultsBytes(db, task.ids, task.database, task.folder) : importResultsBytes(db, task.base64, task.fileName, task.folder);
  } finally {
    db.close();
  }
}
