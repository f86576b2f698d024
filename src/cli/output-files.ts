/**
 * The files a CLI command writes (`-o`, `--experiment`, `--out` …): refused before anything is
 * written when a path would replace a file the command reads or another of its outputs, then
 * written as a unit, atomically and durably (a temporary beside each file, every byte written,
 * fsync, rename, the folder synced). A pipe or terminal (`-o /dev/stdout`) is written into.
 */
import { closeSync, constants, copyFileSync, fstatSync, fsyncSync, linkSync, openSync, renameSync, rmdirSync, rmSync, writeSync, type Stats } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { descriptorProblem, namedDescriptor } from '../main/descriptors';
import { errorCode, makeDirectory } from '../main/make-dir';
import { syncFolder } from '../main/sync-folder';
import { ARTICLE, type FileKind } from '../engine/file-kind';
import { aisleFileKind, experimentFolder } from '../main/files';
import { nameWithRoom } from '../main/name-room';
import { openTemporary, savedPath, temporaryName } from '../main/save-file';
import { RESULTS_FILE_ID, sqliteHead } from '../main/store/db';
import { FOLDER_ERRORS, namesFolder, statIfAny, UsageError, wroteIntoStdout, type InputFile } from './context';

/** An output file: the option naming it, its path as given, and its content. */
export interface OutputFile {
  readonly option: string;
  readonly file: string;
  readonly content: string | Iterable<string>;
  /** The kind of Aisle file it is (none: a CSV, a schema, the runtime): it may replace only a file of its own kind. */
  readonly holds?: FileKind;
}

/**
 * A name beside `path` for this process's backup copy of it, `<file>.<pid>.bak`, cut to fit as its
 * temporary's is (temporaryName): a file name the system takes (250 bytes: 83 Chinese characters)
 * gave a name it refused, and the output was refused as "ENAMETOOLONG: give a shorter path".
 */
function backupName(path: string): string {
  const suffix = `.${process.pid}.bak`;
  return nameWithRoom(path, Buffer.byteLength(suffix)) + suffix;
}

/** Whether two paths name one file: the same real path, or (both existing) the same file on disk. */
function sameFile(a: string, b: string): boolean {
  if (savedPath(a) === savedPath(b)) return true;
  const sa = statIfAny(a);
  const sb = statIfAny(b);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Refuses, before anything is written, output paths that are a folder, a file the command reads
 * (`shop calibrate events.csv -o events.csv` would replace the data with the catalog) or another
 * of its outputs (one would silently replace the other): one line naming the option, exit 2.
 * Commands with a long computation call it first; writeOutputs calls it again.
 */
export function checkOutputs(outputs: readonly (Pick<OutputFile, 'option' | 'file' | 'holds'> & { readonly results?: true })[], inputs: readonly InputFile[] = []): void {
  outputs.forEach(({ option, file, holds, results }, i) => {
    const stats = statIfAny(file);
    if (stats?.isDirectory()) throw new UsageError(`${option} ${file}: is a folder: give the path of a file (in that folder, say)`);
    // `-o out/` (a folder not made yet, as the shell completes one): path.resolve drops the slash,
    // and a file named `out` was written in its place.
    if (namesFolder(file)) {
      throw new UsageError(`${option} ${file}: ends in "${file.slice(-1)}", so it names a folder: give the path of a file (in that folder, say)`);
    }
    const input = inputs.find((f) => sameFile(file, f.path));
    if (input) throw new UsageError(`${option} ${file}: would replace ${input.what}, which this command reads: give another path`);
    // SQLite keeps a database's latest writes in files beside it, and deletes its log on close: a file
    // written there was gone once the command ended, though it said it wrote it.
    const log = inputs.find((f) => f.database && ['-wal', '-shm', '-journal'].some((end) => sameFile(file, `${f.path}${end}`)));
    if (log) throw new UsageError(`${option} ${file}: is a file SQLite keeps beside ${log.what}, and may replace or delete: give another path`);
    const other = outputs.slice(0, i).find((o) => sameFile(file, o.file));
    if (other) throw new UsageError(`${option} ${file}: is also the ${other.option} file: give each output its own path`);
    // An Aisle file of another kind is not replaced: `export 1 -o quickstart.json` (meant for the
    // policy's name) had replaced the experiment with a policy, without a word.
    const there = stats?.isFile() ? aisleFileKind(file, stats) : undefined;
    if (there !== undefined && there !== holds) {
      throw new UsageError(`${option} ${file}: is ${ARTICLE[there]} file, which this would replace with ${holds === undefined ? 'another kind of file' : ARTICLE[holds]}: give another path (or delete it first)`);
    }
    // Nor a database: `aisle export 1 -o lab.db` (a slip for --db) replaced the runs with a policy.
    // A results export (SQLite itself) replaces a results file, as a policy replaces a policy:
    // refusing every SQLite file refused `results export -o night.aisle-results` over last night's.
    const head = stats?.isFile() ? sqliteHead(file, 72) : undefined;
    if (head !== undefined && !(results && head.readUInt32BE(68) === RESULTS_FILE_ID)) {
      const replacement = results ? 'a results file' : holds === undefined ? 'another kind of file' : ARTICLE[holds];
      throw new UsageError(`${option} ${file}: is a SQLite database (an Aisle database${results ? '' : ' or results file'}, say), which this would replace with ${replacement}: give another path (or delete it first)`);
    }
  });
}

/**
 * Writes output files (their folders made if missing) as a unit and atomically: every file to a
 * temporary beside it, synced to the disk, then every rename, so a failure to write one leaves
 * none of them (nor the temporaries, nor the folders made for them), and a crash never leaves half
 * a file, nor a power loss an empty one. See
 * checkOutputs for the paths refused. A path that cannot be written is the user's to fix: one line
 * naming the option, exit 2. Returns the absolute paths as given (a link's, not its target's).
 */
export function writeOutputs(outputs: readonly OutputFile[], inputs: readonly InputFile[] = []): string[] {
  checkOutputs(outputs, inputs);
  const written: { output: OutputFile; tmp: string; path: string }[] = [];
  const folders: string[] = [];
  // A pipe or a terminal (`-o /dev/stdout`, a FIFO another process reads, /dev/null) is written
  // into: a temporary renamed over it would replace the node with a file (as root, /dev/full
  // itself), and the reader would get nothing. It cannot be taken back, so it is written once every
  // file is on the disk, before the renames that cannot fail for want of space.
  // Each stream output, and whether it is this process's own standard output (see below).
  // Each stream output: the descriptor it names (`/dev/stdout`: 1), or -1 to open it by name.
  const streams = new Map<OutputFile, number>();
  for (const output of outputs) {
    const kind = streamKind(output);
    if (kind !== undefined) streams.set(output, kind === 'stdout' ? 1 : kind === 'stream' ? -1 : kind.fd);
  }
  try {
    for (const output of outputs) {
      if (streams.has(output)) continue;
      // A link is written through (deploy/current.json → v3.json keeps the link and replaces v3.json),
      // and a file replaced keeps its permissions (a policy kept private stays so): the rename would
      // otherwise put a new file with default permissions in the link's place.
      const path = savedPath(output.file);
      // The app's saves make theirs the same way (save-file.ts), but for a folder that refuses the
      // temporary: there the app writes the file itself, the CLI refuses it (see openTemporary).
      const temporary = temporaryName(path, { numbered: false });
      const tmp = temporary.path;
      try {
        folders.push(...makeDirectory(dirname(path)));
        const { fd } = openTemporary(path, temporary, { inPlace: false });
        written.push({ output, tmp, path });
        try {
          writeContent(fd, output.content);
          // On the disk before the rename makes it the file: a file system may commit the rename
          // first (ext4's delayed allocation, XFS), and a power loss then leaves the file empty.
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        throw cannotWrite(output, e, tmp);
      }
    }
    for (const [output, named] of streams) {
      try {
        // This process's own standard output (which a parent process may have made a socket, which
        // cannot be opened by name) is written as it is; what the command says of it goes to stderr,
        // after the data and not in it. So is a descriptor named by its path (/dev/stderr, /dev/fd/3).
        const fd = named >= 0 ? named : openSync(output.file, 'w');
        if (fd === 1) wroteIntoStdout();
        try {
          writeContent(fd, output.content);
        } finally {
          if (named < 0) closeSync(fd);
        }
      } catch (e) {
        throw cannotWrite(output, e, '');
      }
    }
    renameAll(written);
    for (const folder of new Set(written.map((w) => dirname(w.path)))) syncFolder(folder);
  } catch (e) {
    for (const { tmp } of written) rmSync(tmp, { force: true });
    for (const folder of folders.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty: something else was put there meanwhile.
      }
    }
    throw e;
  }
  return outputs.map((o) => resolve(o.file));
}

/**
 * Renames each temporary over its file, all or none: a rename that fails (the folder removed or
 * made read-only meanwhile) puts back the files the renames before it replaced, from a hard link to
 * each kept beside it (`<file>.<pid>.bak`, a copy where the file system has no links), and removes
 * those that were not there before. `shop calibrate`'s catalog and experiment had been left one
 * new, one old, the error saying nothing was written. A crash between two renames (microseconds)
 * can still leave the first: the one it replaced is then the `.bak` beside it.
 */
function renameAll(written: readonly { output: OutputFile; tmp: string; path: string }[]): void {
  // Each replaced file's link (path → its .bak), removed at the end unless it holds what could not be put back.
  const backups = new Map<string, string>();
  try {
    if (written.length > 1) {
      for (const { output, path } of written) {
        if (!statIfAny(path)?.isFile()) continue;
        const backup = backupName(path);
        try {
          rmSync(backup, { force: true });
          try {
            linkSync(path, backup);
          } catch {
            copyFileSync(path, backup, constants.COPYFILE_EXCL);
          }
        } catch (e) {
          throw cannotWrite(output, e, backup);
        }
        backups.set(path, backup);
      }
    }
    const done: string[] = [];
    for (const { output, tmp, path } of written) {
      try {
        renameSync(tmp, path);
      } catch (e) {
        const failure = cannotWrite(output, e, tmp);
        const lost = undo(done, backups);
        if (lost.length > 0 && failure instanceof Error) {
          const where = lost.map((p) => (backups.has(p) ? `${p} (its previous content is in ${backups.get(p)})` : `${p} (new: delete it)`));
          failure.message += `; and the files written before it could not all be put back as they were: ${where.join(', ')}`;
          for (const p of lost) backups.delete(p);
        }
        throw failure;
      }
      done.push(path);
    }
  } finally {
    for (const backup of backups.values()) rmSync(backup, { force: true });
  }
}

/** Puts back the files `done` replaced (from their `backups`, renamed back) or made (removed); the paths it could not. */
function undo(done: readonly string[], backups: ReadonlyMap<string, string>): string[] {
  const lost: string[] = [];
  for (const path of [...done].reverse()) {
    const backup = backups.get(path);
    try {
      if (backup === undefined) rmSync(path, { force: true });
      else renameSync(backup, path);
    } catch {
      lost.push(path);
    }
  }
  return lost;
}

/**
 * Whether an output names this process's standard output ('stdout'), another pipe or a character
 * device ('stream'): written into, not replaced; undefined for a file. A block device or another
 * socket is refused.
 */
function streamKind({ option, file }: OutputFile): 'stdout' | 'stream' | { fd: number } | undefined {
  // A descriptor named by its path is that descriptor, whatever stat says of it: as a file (standard
  // output a file deleted meanwhile, whose link /dev/stdout then dangles), /dev/stdout itself was
  // replaced by the output, for every process after (as root).
  const fd = namedDescriptor(file);
  if (fd !== undefined) {
    // Node opens descriptors of its own from 3 up (its event loop's, its signal and thread pipes, a
    // /dev/null to read): `-o /dev/fd/7` that the shell did not open wrote the output into one of
    // those, 'EINVAL' or 'EBADF', 'wrote /dev/fd/5' with the data gone, or a segmentation fault.
    const problem = descriptorProblem(fd, 'write');
    if (problem !== undefined) throw new UsageError(`${option} ${file}: ${problem}`);
    return fd === 1 ? 'stdout' : { fd };
  }
  const st = statIfAny(file); // through links: /dev/stdout is one to the process's own
  if (st === undefined || st.isFile() || st.isDirectory()) return undefined;
  if (isStdout(st)) return 'stdout';
  if (st.isFIFO() || st.isCharacterDevice()) return 'stream';
  throw new UsageError(`${option} ${file}: is a ${st.isBlockDevice() ? 'block device' : 'socket'}, not a file: give the path of a file`);
}

/**
 * The outputs of a command that writes a file (-o: shop calibrate's catalog, logs mdp's MDP) and,
 * with --experiment, an experiment that names that file by its path, checked before the input is
 * read (checkOutputs). The experiment is refused without the file, and beside a stream (`-o
 * /dev/stdout`), which has no path to name (the experiment named `../../dev/stdout`): `what` is the
 * file's kind in words, `placeholder` a file to give instead. Returns whether -o names a stream.
 */
export function checkFileAndExperiment(opts: { readonly output?: string; readonly experiment?: string }, file: { readonly what: string; readonly holds: FileKind; readonly placeholder: string }, inputs: readonly InputFile[]): boolean {
  const { what, holds, placeholder } = file;
  if (opts.experiment && !opts.output) throw new UsageError(`--experiment: the experiment refers to the ${what} file: give -o ${placeholder} too`);
  const streamed = opts.output !== undefined && isStreamOutput('-o', opts.output);
  if (opts.experiment && streamed) {
    throw new UsageError(`--experiment: the experiment refers to the ${what} by its file, and -o ${opts.output} is a stream (a pipe, a terminal or standard output), not a file: give -o a file, -o ${placeholder}`);
  }
  const outputs = [...(opts.output ? [{ option: '-o', file: opts.output, holds }] : []), ...(opts.experiment ? [{ option: '--experiment', file: opts.experiment, holds: 'experiment' as const }] : [])];
  checkOutputs(outputs, inputs);
  return streamed;
}

/**
 * `file` as an experiment at `experimentPath` names it: from the experiment's folder, with forward
 * slashes, so that the pair can be moved together and read on another system.
 */
export function pathFromExperiment(experimentPath: string, file: string): string {
  return relative(experimentFolder(experimentPath), resolve(file)).split(sep).join('/');
}

/**
 * Whether `-o` names a stream (a pipe, a terminal, standard output, /dev/null), written into rather
 * than made a file: nothing another file could name by its path to read back.
 */
export function isStreamOutput(option: string, file: string): boolean {
  return streamKind({ option, file, content: '' }) !== undefined;
}

/** Whether a file that is not a regular one (as stat gives it) is this process's standard output (its pipe, socket or terminal). */
function isStdout(st: Stats): boolean {
  try {
    const out = fstatSync(1);
    return st.dev === out.dev && st.ino === out.ino && st.rdev === out.rdev;
  } catch {
    return false; // no standard output
  }
}

/** Something to wait on for a few milliseconds (Atomics.wait, which blocks without spinning). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Every byte of the content: a write may take fewer than it is given (a disk filling up takes what
 * fits, and only the next write fails), and a file cut short was reported as written.
 */
function writeContent(fd: number, content: string | Iterable<string>): void {
  for (const piece of typeof content === 'string' ? [content] : content) {
    const bytes = Buffer.from(piece, 'utf8');
    for (let at = 0; at < bytes.length; ) {
      let n: number;
      try {
        n = writeSync(fd, bytes, at, bytes.length - at);
      } catch (e) {
        // Standard output as Node leaves it (a pipe or socket made non-blocking) refuses a write
        // while its reader has not caught up: wait for it.
        if (errorCode(e) !== 'EAGAIN') throw e;
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      at += n;
    }
  }
}

/** A path that cannot be written is the user's to fix (exit 2); anything else is a failure. */
function cannotWrite({ option, file }: OutputFile, e: unknown, tmp: string): unknown {
  const code = errorCode(e);
  if (code === undefined || !(FOLDER_ERRORS.has(code) || code === 'ENOSPC' || code === 'EEXIST')) return e;
  let reason = e instanceof Error ? e.message : String(e);
  // The system names the temporary ("open '/x/m.csv.3305.tmp'"), a path the user never gave: the
  // option already names theirs, so the reason keeps only the system's words (a folder that could
  // not be made stays named: it is on the user's path).
  if (e instanceof Error && tmp !== '' && reason.includes(tmp)) reason = reason.replace(/, \w+ '.*$/s, '');
  const fix = code === 'ENOSPC' ? 'free some space on that disk, or give a path on another' : code === 'ENAMETOOLONG' ? 'give a shorter path' : 'give a path in a folder you can write to';
  return new UsageError(`${option} ${file}: cannot write it (${reason}): ${fix}`);
}

/** Writes one output file: see writeOutputs. Returns the absolute path. */
export function writeOutput(option: string, file: string, content: string | Iterable<string>, inputs: readonly InputFile[] = [], holds?: FileKind): string {
  return writeOutputs([{ option, file, content, ...(holds === undefined ? {} : { holds }) }], inputs)[0]!;
}
