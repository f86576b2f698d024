/**
 * `aisle results export <experimentId...> -o file` and `aisle results import <file>`: experiments
 * with their runs, metrics, checkpoints, run states and policies, carried to another database in one
 * aisle.results/v1 file (src/main/results).
 */
import { existsSync, rmdirSync, rmSync, truncateSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkInputDescriptor } from '../main/descriptors';
import { errorCode } from '../main/make-dir';
import { exportResultsFileInWorker, importResultsFileInWorker } from '../main/jobs/run-in-worker';
import { assertExportable, resultsDestination, type ExportedExperiment, type WrittenResults } from '../main/results/export';
import type { ImportedExperiment, ResultsImport } from '../main/results/import';
import type { ResultsOrigin } from '../main/results/format';
import { escapeControl, listedName, quoted, show } from '../engine/params';
import { newCommitGate, pastCommit, stopBeforeCommit } from '../main/results/commit-gate';
import { removeExportTemporary } from '../main/results/scratch';
import { counted, fmt, plural } from '../shared/text';
import { databaseInput, dateTime, FOLDER_ERRORS, printJson, statIfAny, UsageError, withStore, workerPath, type GlobalOptions } from './context';
import { checkOutputs } from './output-files';
import { onStopSignals, signalExitCode, signalName } from './signal-stop';
import { StoredConfigs } from './stored-config';

export interface ResultsExportOptions extends GlobalOptions {
  output: string;
}

/**
 * The copy runs in a worker thread, this one waiting: a long run's results take seconds to copy,
 * and Ctrl-C (SIGTERM, SIGHUP) then stops it and removes the half-written temporary file beside the
 * destination (exit 130, 143, 129), where on this thread it ended the process with the file left
 * there. What is refused (an unknown id, runs still training) is checked here first, as the errors
 * of a worker reach this thread without their kind.
 */
export async function resultsExportCommand(ids: readonly number[], opts: ResultsExportOptions): Promise<number> {
  const database = databaseInput(opts);
  checkOutputs([{ option: '-o', file: opts.output, results: true }], [database]);
  withStore(opts, (store) => {
    assertExportable(store.db, [...new Set(ids)]);
    const stored = new StoredConfigs(store);
    for (const id of ids) stored.experimentWithRuns(id);
  });
  const file = resolve(opts.output);
  // Where it goes (a link's target), refused here with its option named: a worker's errors lose their kind.
  const destination = resultsDestination(file);
  if (destination.problem !== undefined) throw new UsageError(`-o ${opts.output}: ${destination.problem}`);
  const stopper = stopWorkerOnSignals('stopping the export, its temporary file removed', 'the file is complete and being put in place: finishing', () => {
    if (pastCommit(stopper.gate)) return `${opts.output} was being put in place: it is the new file or as it was, whole either way`;
    // A second signal does not wait for SQLite's statement to end: the worker's half-written file
    // goes with it (unlinked while open is fine where Aisle runs; where it is not, the next export
    // to that folder removes it).
    const left = removeExportTemporary(destination.path);
    const was = existsSync(destination.path) ? `${opts.output} is as it was` : `nothing written to ${opts.output}`;
    return `${was}${left.length === 0 ? ', its temporary file removed' : `; ${left.join(', ')} could not be removed: delete it by hand`}`;
  });
  let exported: WrittenResults;
  try {
    exported = await exportResultsFileInWorker(workerPath(), database.path, ids, file, { signal: stopper.signal, onExited: stopper.onExited, gate: stopper.gate });
  } catch (e) {
    // A signal declined past the commit (the work finishing) is no stop: an error then is the work's own.
    const stoppedBy = stopper.signal.aborted ? stopper.signals.stoppedBy : undefined;
    if (stoppedBy === undefined) throw cannotWrite(opts.output, e);
    await stopper.workerGone;
    process.stderr.write(`aisle: the export was stopped: ${escapeControl(existsSync(destination.path) ? `${opts.output} is as it was` : `nothing written to ${opts.output}`)}\n`);
    return signalExitCode(stoppedBy);
  } finally {
    stopper.signals.dispose();
  }
  if (opts.json) printJson(exported);
  else {
    // The path given escaped (escapeControl), as every "wrote" line has it: a line break in it split the line, an ESC sequence drove the terminal.
    process.stdout.write(`wrote ${escapeControl(exported.path)}: ${counted(exported.experiments.length, 'experiment')}\n`);
    for (const e of exported.experiments) process.stdout.write(`  ${exportedLine(e)}\n`);
  }
  return 0;
}

/**
 * Reads a results file into the database. Unlike the other commands that are given a --db that does
 * not exist, it makes that database: opening a colleague's results in a database of their own is
 * what the file is for. A file refused leaves no database made for it behind. The copy runs in a
 * worker thread, as the export's does, so that Ctrl-C (SIGTERM, SIGHUP) stops it and says so: the
 * import's one transaction is never committed, the database stays as it was (one made for it is
 * removed), exit 130, 143, 129. On this thread the signal ended the process with nothing said and
 * the database made for it left behind.
 */
export async function resultsImportCommand(file: string, opts: GlobalOptions): Promise<number> {
  checkInputDescriptor(file, file); // /dev/fd/4 the shell did not open: the worker read libuv's own pipe
  const database = databaseInput(opts).path;
  const creates = !existsSync(database);
  // An empty file there (a shell's `>` made it) is made a database as a new path is, and emptied again
  // on a refusal; the folders made on the way to a new path are removed with it.
  const before = statIfAny(database);
  const emptyBefore = before?.isFile() === true && before.size === 0 && !existsSync(`${database}-wal`);
  const foldersMissing: string[] = [];
  for (let folder = dirname(database); creates && !existsSync(folder) && dirname(folder) !== folder; folder = dirname(folder)) foldersMissing.push(folder);
  const removeMade = () => {
    if (!creates && !emptyBefore) return;
    for (const made of [`${database}-wal`, `${database}-shm`]) rmSync(made, { force: true });
    if (emptyBefore) truncateSync(database, 0);
    else rmSync(database, { force: true });
    for (const folder of foldersMissing) {
      try {
        rmdirSync(folder); // innermost first; one that holds something else now stays
      } catch {
        break;
      }
    }
  };
  // Opened (made, for a new path) and checked as every command opens it, before the worker starts:
  // another program's database, or a newer Aisle's, is refused here with its own words.
  try {
    withStore(opts, () => undefined, { makes: true });
  } catch (e) {
    removeMade();
    throw e;
  }
  const outcome = () => `nothing imported: ${creates ? 'the database made for it removed' : `${database} is as it was`}`;
  // A second signal does not wait for SQLite's statement to end: the transaction is never committed.
  const stopper = stopWorkerOnSignals('stopping the import, nothing of it kept', 'its copy is complete and being committed: finishing', () => {
    // Quit during the commit: SQLite keeps the transaction whole or not at all, and says which on the next open.
    if (pastCommit(stopper.gate)) return `the import was being committed: ${database} holds it whole or not at all (\`aisle experiments\` says which)`;
    removeMade();
    return outcome();
  });
  let imported: ResultsImport;
  try {
    imported = await importResultsFileInWorker(workerPath(), database, resolve(file), { shownAs: file, signal: stopper.signal, onExited: stopper.onExited, gate: stopper.gate });
  } catch (e) {
    // The worker's connection closed first, so that nothing of it reaches a file removed here.
    await stopper.workerGone;
    removeMade();
    // A signal declined past the commit (the work finishing) is no stop: an error then is the work's own.
    const stoppedBy = stopper.signal.aborted ? stopper.signals.stoppedBy : undefined;
    if (stoppedBy === undefined) throw e;
    process.stderr.write(`aisle: the import was stopped: ${outcome()}\n`);
    return signalExitCode(stoppedBy);
  } finally {
    stopper.signals.dispose();
  }
  if (opts.json) printJson({ file: resolve(file), ...imported, ...(creates ? { createdDatabase: database } : {}) });
  else {
    // The paths given escaped, as the export's are.
    if (creates) process.stdout.write(`made the database ${escapeControl(database)}\n`);
    process.stdout.write(`${escapeControl(originLine(file, imported.origin))}\n`);
    for (const e of imported.experiments) process.stdout.write(`  ${importedLine(e)}\n`);
  }
  return 0;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP while a worker copies: the first aborts `signal` and says `stopping`;
 * a second quits at once, saying what `quitNow` (run then) reports, and ends the process by the
 * signal itself (process.exit tore down the worker thread inside SQLite's call: see
 * SignalStopOptions.quit). `workerGone` settles when the worker's thread has exited (pass
 * `onExited` to it); `stoppedBy` and `dispose` are the signals' (onStopSignals).
 */
function stopWorkerOnSignals(stopping: string, finishing: string, quitNow: () => string) {
  const stop = new AbortController();
  let exited = () => {};
  const workerGone = new Promise<void>((done) => (exited = done));
  // Past its commit (the rename, the transaction's commit), the work is finished rather than stopped:
  // stopped then, an import already committed was reported as "nothing imported" (commit-gate.ts).
  const gate = newCommitGate();
  let stops: boolean | undefined;
  const claim = () => (stops ??= stopBeforeCommit(gate));
  const signals = onStopSignals({
    say: (signal) => `\n${signalName(signal)}: ${claim() ? stopping : finishing}… (again to quit at once)\n`,
    stop: (signal) => {
      if (claim()) stop.abort(`${signal} in the terminal`);
    },
    beforeQuit: () => process.stderr.write(`aisle: quit at once: ${quitNow()}\n`),
    quit: 'signal',
  });
  return { signal: stop.signal, onExited: () => exited(), workerGone, signals, gate };
}

/**
 * Where an imported file says it came from. Its texts are the file's own (any text a results file's
 * row holds, import refusing none of them), so each is listed as a message lists a file's names
 * (listedName): an ESC sequence or a line break in a host name reached the terminal raw, a host of
 * thousands of characters was printed whole. Its time, a number past the dates JavaScript writes,
 * ended a finished import in RangeError (exit 1, the import committed).
 */
export function originLine(file: string, origin: ResultsOrigin): string {
  const { sourceHost, sourceDatabase, exportedAt, appVersion } = origin;
  const when = Number.isFinite(new Date(exportedAt).getTime()) ? dateTime(exportedAt) : `at ${show(exportedAt)} (not a time)`;
  return `${file}: exported ${when} from ${listedName(String(sourceDatabase))} on ${listedName(String(sourceHost))} by Aisle ${listedName(String(appVersion))}`;
}

/** An experiment exported or imported, its names quoted whole with every control character escaped (quoted): an export reads a database Aisle may not have checked. */
function exportedLine(e: ExportedExperiment): string {
  return `experiment ${e.id} ${quoted(e.name)}: ${counted(e.runs, 'run')}, ${counted(e.checkpoints, 'checkpoint')}, ${policies(e.policies)}`;
}

function importedLine(e: ImportedExperiment): string {
  const name = `experiment ${e.from} ${quoted(e.name)}`;
  if (e.alreadyImported) return `${name}: already imported as experiment ${e.id}, not imported again`;
  const runs = e.runs.length === 0 ? 'no runs' : `${counted(e.runs.length, 'run')} (${e.runs.map((r) => r.id).join(', ')})`;
  const stored = e.policies.filter((p) => p.alreadyStored).map((p) => `policy ${p.id}`);
  // Named apart from an experiment here of the same name: said, with the name it has now.
  const renamed = e.renamed === undefined ? '' : ` ${quoted(e.renamed)} (an experiment here is named ${quoted(e.name)})`;
  return `${name}: imported as experiment ${e.id}${renamed}, ${runs}, ${counted(e.checkpoints, 'checkpoint')}, ${policies(e.policies.length)}${stored.length > 0 ? ` (already stored: ${stored.join(', ')})` : ''}`;
}

function policies(n: number): string {
  return plural(n, 'policy', fmt(n), 'policies');
}

/** A destination that cannot be written is the user's to fix (exit 2); anything else is not. */
function cannotWrite(file: string, e: unknown): unknown {
  const code = errorCode(e);
  if (code === undefined || !(FOLDER_ERRORS.has(code) || ['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_FULL', 'ENOSPC'].includes(code))) return e;
  return new UsageError(`-o ${file}: cannot write it (${e instanceof Error ? e.message : String(e)}): give a path in a folder you can write to`);
}
