/**
 * The temporary files results files are made in: import's private folder (a copy of the file, as
 * large as it is) and export's file beside its destination, renamed over it once whole. Both are
 * named by the process that made them and removed when it is done, but copying and filling them
 * runs synchronously, so Ctrl-C (or kill) halfway ends the process with no handler run, and they
 * stayed behind, a hundred MB each for a long run's results. The next import or export removes
 * those whose process is gone. The CLI's copies of piped input it reads twice (readable-twice.ts)
 * are such folders too, under a prefix of their own.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isAlive } from '../store/sessions';
import { nameWithRoom } from '../name-room';

const FOLDER_PREFIX = 'aisle-results-';

/** Runs `fn` in a new private folder of `parent` (the system's temporary folder), removed after it. */
export function inScratchFolder<T>(fn: (folder: string) => T, parent = tmpdir()): T {
  const folder = newScratchFolder(parent);
  try {
    return fn(folder);
  } finally {
    removeScratchFolder(folder);
  }
}

/**
 * A new private folder of `parent`, for a task in a worker thread: a worker stopped halfway (its
 * client gone, the app closing) runs no `finally`, so the thread that started it removes the
 * folder once it has exited (removeScratchFolder); otherwise, tagged with this process's id, it
 * stayed until the process ended.
 */
export function newScratchFolder(parent = tmpdir(), prefix = FOLDER_PREFIX): string {
  removeLeftovers(parent, 'folder', (name) => (name.startsWith(prefix) ? /^(\d+)-/.exec(name.slice(prefix.length))?.[1] : undefined));
  return mkdtempSync(join(parent, `${prefix}${process.pid}-`));
}

export function removeScratchFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

/** Room kept after a temporary's base for `.<pid>.tmp-journal`, a pid of up to 10 digits. */
const SUFFIX_ROOM = '.0123456789.tmp-journal'.length;

/**
 * `file` with its name cut, at a character, so that the temporary and SQLite's files beside it fit
 * in NAME_MAX bytes: a name the system takes (a 249-byte one, 83 Chinese characters) was refused,
 * ENAMETOOLONG, for its temporary's. The same cut whatever the pid, so that leftovers are found.
 */
function temporaryBase(file: string): string {
  return nameWithRoom(file, SUFFIX_ROOM);
}

/** The file export fills before renaming it to `file`; those a stopped export left for the same destination are removed. */
export function exportTemporary(file: string): string {
  const prefix = `${basename(temporaryBase(file))}.`;
  removeLeftovers(dirname(file), 'file', (name) => (name.startsWith(prefix) ? /^(\d+)\.tmp(-journal|-wal|-shm)?$/.exec(name.slice(prefix.length))?.[1] : undefined));
  // SQLite makes the file, following a link already at its name: whatever is there (a link planted
  // at the guessable name to have another file overwritten) is removed first, not what it points
  // to; one that cannot be removed (a folder made read-only) stops the export here.
  const [failure] = removeFiles(exportFiles(file));
  if (failure) throw failure;
  return `${temporaryBase(file)}.${process.pid}.tmp`;
}

/**
 * Removes the temporaries `<base>.<pid>.tmp` (or `<base>.<pid>.<n>.tmp`, the app's saves) that
 * processes now gone left beside an output file (`base`: the file's name as cut for its temporary's
 * suffix). A write is whole or absent at the file itself, but one killed while it filled its
 * temporary (kill -9, a second Ctrl-C, the app killed mid-save) left that temporary beside the file
 * for good, half a policy or CSV under a name the user never gave. Each output removes those of its
 * own name as it is written.
 */
export function removeDeadTemporaries(base: string): void {
  const prefix = `${basename(base)}.`;
  removeLeftovers(dirname(base), 'file', (name) => (name.startsWith(prefix) ? /^(\d+)(?:\.\d+)?\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined));
}

/** This process's temporary file for an export to `file`, and SQLite's files beside it. */
function exportFiles(file: string): string[] {
  const temporary = `${temporaryBase(file)}.${process.pid}.tmp`;
  return ['', '-journal', '-wal', '-shm'].map((suffix) => temporary + suffix);
}

/**
 * Removes what this process's export to `file` left: its temporary file and SQLite's beside it (a
 * worker stopped halfway runs no cleanup of its own). It never throws (it runs as a worker exits,
 * and after a failure whose error is the one to tell): returns the paths it could not remove, as
 * in a folder made read-only meanwhile, for the caller to name.
 */
export function removeExportTemporary(file: string): string[] {
  return removeFiles(exportFiles(file)).map((e) => e.path ?? '');
}

/** Removes each path that is there; the errors of those that could not be removed (the path in each). */
function removeFiles(paths: readonly string[]): (NodeJS.ErrnoException & { path?: string })[] {
  const failures: (NodeJS.ErrnoException & { path?: string })[] = [];
  for (const path of paths) {
    try {
      rmSync(path, { force: true });
    } catch (e) {
      const error = (e instanceof Error ? e : new Error(String(e))) as NodeJS.ErrnoException & { path?: string };
      error.path ??= path;
      failures.push(error);
    }
  }
  return failures;
}

/**
 * Removes the entries of `folder` that `pidOf` names a process for, when that process is gone: of
 * the `kind` a process of ours made there, so that a user's own entry of a name alike is kept (a
 * folder "notes.txt.20241207.tmp" beside notes.txt was removed with everything in it).
 */
function removeLeftovers(folder: string, kind: 'file' | 'folder', pidOf: (name: string) => string | undefined): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return; // a folder that cannot be listed holds nothing to tidy; making the new file there says why
  }
  for (const name of names) {
    const pid = Number(pidOf(name) ?? NaN);
    if (!Number.isSafeInteger(pid) || pid < 1 || pid > highestPid() || pid === process.pid) continue;
    const path = join(folder, name);
    try {
      const entry = lstatSync(path);
      if (kind === 'file' ? !entry.isFile() : !entry.isDirectory()) continue;
      // Made after its process started: a process started since, under a reused id, is not its maker.
      if (!isAlive(pid, entry.mtimeMs)) rmSync(path, { recursive: kind === 'folder', force: true });
    } catch {
      // gone meanwhile, or not ours to remove: left as it is
    }
  }
}

let pidCeiling: number | undefined;

/**
 * The highest process id this system gives (Linux's pid_max; 2³¹ − 1 elsewhere): a number past it in
 * a name, a date such as 20241207, was never a pid of ours, and the process it names cannot be
 * alive, so the entry was taken for a dead process's.
 */
function highestPid(): number {
  if (pidCeiling === undefined) {
    try {
      pidCeiling = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) - 1;
    } catch {
      pidCeiling = 2 ** 31 - 1;
    }
    if (!Number.isSafeInteger(pidCeiling) || pidCeiling < 1) pidCeiling = 2 ** 31 - 1;
  }
  return pidCeiling;
}
