/**
 * Reading user files: JSON with errors that name the file, line and column, size limits that keep
 * hostile input from exhausting memory, and experiment files whose `mdp` paths resolve relative to
 * the experiment.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseExperiment, type Experiment } from '../engine/experiment';
import { cutToLength } from '../engine/experiment-text';
import { fileKind, type FileKind } from '../engine/file-kind';
import { thousands, ValidationError } from '../engine/params';
import { parseJsonText } from '../shared/json-text';
import { mebi, notTextProblem, notUtf8Problem, pastLimit } from '../shared/text';
import { checkInputDescriptor, inputDescriptorProblem } from './descriptors';
import { errorCode } from './make-dir';

/** Larger files are refused before reading (an MDP with millions of transitions is ~100 MB). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * " (/abs/path)" after a file's label where the label does not already say that path: a relative
 * path or a field's name (env.mdp) gets the absolute one; an absolute path given was said twice,
 * "/data/p.json: file not found (/data/p.json)" (found reading `aisle policies import`'s refusals).
 */
export function resolvedNote(label: string, path: string): string {
  const absolute = resolve(path);
  // The label's last word is the path as given where a label names its option first ("--target
  // /abs/nope.json"); a folder as tab completion writes it ends in a separator resolve() drops.
  const given = label.slice(label.lastIndexOf(' ') + 1);
  return [label, given].some((said) => said === absolute || (isAbsolute(said) && /[\\/]$/.test(said) && resolve(said) === absolute)) ? '' : ` (${absolute})`;
}

/** The one wording for a file that is not there, shared by every reader of user files. */
export function fileNotFound(label: string, path: string): ValidationError {
  // "-" is standard input to many tools (`zcat logs.csv.gz | aisle ope - …`); Aisle reads it by its path.
  if (path === '-') return new ValidationError([`${label}: file not found${resolvedNote(label, path)}: to read standard input, give /dev/stdin`]);
  // /dev/fd/7 is "not found" where descriptor 7 is not open: the fix is to open it.
  const descriptor = inputDescriptorProblem(path, label);
  if (descriptor !== undefined) return new ValidationError([descriptor]);
  return new ValidationError([`${label}: file not found${resolvedNote(label, path)}: check the path`]);
}

/** A file above a reader's limit; `size` when it is known (a regular file), else reading stopped at the limit. */
export function fileTooLarge(label: string, maxBytes: number, size?: number): ValidationError {
  const said = size !== undefined ? pastLimit(size, maxBytes) : undefined;
  const what = said !== undefined ? `file is ${said.size} MB, above the ${said.limit} MB limit` : `file holds more than the ${mebi(maxBytes)} MB limit (reading stopped there)`;
  return new ValidationError([`${label}: ${what}: give a smaller file`]);
}

/**
 * Reads a file as UTF-8 text without a leading byte-order mark (editors on Windows write one; it is
 * no part of the content). A regular file's size is known before reading; a device or a pipe
 * (/dev/zero, a FIFO) reports none and may never end, so at most `maxBytes` + 1 bytes are read, the
 * last of which refuses it: memory stays bounded whatever the path names.
 */
export function readTextFile(path: string, label: string, maxBytes: number): string {
  // /dev/fd/4 the shell did not open is one of Node's own: reading libuv's pipe waited forever.
  checkInputDescriptor(path, label);
  let stat: Stats;
  let fd: number;
  try {
    stat = statSync(path);
    fd = openSync(path, 'r');
  } catch (e) {
    throw unreadable(label, path, e);
  }
  if (stat.isFile() && stat.size > maxBytes) {
    closeSync(fd);
    throw fileTooLarge(label, maxBytes, stat.size);
  }
  let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.isFile() ? stat.size + 1 : 64 * 1024));
  let length = 0;
  try {
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw fileTooLarge(label, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, 2 * buffer.length));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
  } finally {
    closeSync(fd);
  }
  // A database, an archive, or Windows PowerShell's UTF-16: Latin-1's advice below would not convert it.
  const notText = notTextProblem(label, buffer.subarray(0, length));
  if (notText !== undefined) throw new ValidationError([notText]);
  const text = buffer.toString('utf8', 0, length);
  if (!isUtf8(buffer.subarray(0, length))) {
    // Bytes that are not UTF-8 decode to U+FFFD: names would be stored garbled.
    throw new ValidationError([notUtf8Problem(label, text)]);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A file that cannot be opened, as one line naming it and the fix: missing, not permitted (the
 * usual case of a file another user owns), or another system error, which stays as it is.
 */
export function unreadable(label: string, path: string, e: unknown): unknown {
  const code = errorCode(e);
  // `quickstart.json/` (a shell completes a folder so): "file not found (…/quickstart.json)" named a file that is there.
  if (code === 'ENOTDIR' && /[\\/]$/.test(path) && isFile(path.replace(/[\\/]+$/, ''))) {
    return new ValidationError([`${label}: is a file, not a folder (${resolve(path)}): drop the "${path.slice(-1)}" at its end`]);
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') return fileNotFound(label, path);
  // Node's raw words, exit 1, as a failed run: the path is the user's to fix.
  if (code === 'ENAMETOOLONG') {
    // Thousands of characters (a value pasted where a path goes, --set env.catalog=…) were repeated
    // whole: past 1,000 the label is cut after its first 100 characters, with the path's length said
    // instead; cut between whole characters (cutToLength), as a slice left half of an emoji there.
    const long = label.length > 1000;
    return new ValidationError([`${long ? `${cutToLength(label, 100)}…` : label}: the path is too long for this system (${long ? `${thousands(path.length)} characters, ` : ''}ENAMETOOLONG): give a shorter one`]);
  }
  if (code === 'ELOOP') return new ValidationError([`${label}: a symbolic link on the path leads back to itself (ELOOP): check the path and its links`]);
  if (code === 'EACCES' || code === 'EPERM') return new ValidationError([`${label}: cannot be read: permission denied${resolvedNote(label, path)}: check the file's permissions`]);
  if (code === 'ENXIO') return socketInput(label);
  return e;
}

/**
 * A socket named by its path (/dev/stdin when a Node.js parent process gives a socket pair as the
 * standard input, as child_process does for `input` or 'pipe'): Linux opens none by name (ENXIO).
 * Node's raw "ENXIO: no such device or address" was exit 1, or "check its permissions".
 */
export function socketInput(label: string): ValidationError {
  return new ValidationError([`${label}: is a socket, which cannot be opened by its path (ENXIO): give the path of a file, or a pipe (cat file | aisle …)`]);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and parses a JSON file, refusing missing, huge (above `maxBytes`) or malformed files (or a
 * folder) with one clear line.
 */
export function readJsonFile(path: string, label = path, maxBytes = MAX_JSON_BYTES): unknown {
  // A descriptor is checked by readTextFile (one of Node's own, one open for writing only) and, not
  // open, by fileNotFound (stat's ENOENT), as for every reader of a text file.
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (e) {
    throw unreadable(label, path, e);
  }
  // Reading a folder would fail with Node's raw "EISDIR: illegal operation on a directory, read".
  if (stat.isDirectory()) throw new ValidationError([`${label}: is a folder${resolvedNote(label, path)}: give the path of a JSON file`]);
  return parseJsonText(readTextFile(path, label, maxBytes), label);
}

/**
 * Parses an experiment object whose file parameters resolve relative to `baseDir`; the absolute
 * path of each file it reads is added to `read` (so a command can refuse to write over one).
 */
export function parseExperimentAt(raw: unknown, baseDir: string, read: string[] = [], stored = false): Experiment {
  return parseExperiment(raw, {
    readJson: (p) => {
      const path = resolve(baseDir, p);
      read.push(path);
      return readJsonFile(path, p);
    },
    stored,
  });
}

/**
 * The folder an experiment file's relative paths (its `mdp`, its shop's `catalog`) start from: the
 * file's own; for a stream named by its descriptor (`aisle run <(jq … exp.json)`, /dev/fd/63;
 * `aisle run /dev/stdin < exp.json`), which has no folder of its own, the current one, as for
 * `--set env.mdp=…`: /dev/fd/cliff.mdp.json was looked for, and never found.
 */
export function experimentFolder(path: string): string {
  const absolute = resolve(path);
  return /^\/(dev|proc)\//.test(absolute) ? process.cwd() : dirname(absolute);
}

/** Fields a command may set over an experiment file's own (`aisle run --episodes 100 --seeds 2`). */
export interface ExperimentOverrides {
  readonly episodes?: number;
  readonly seeds?: number;
}

/**
 * Loads, parses and checks an experiment file, with `overrides` put over its fields before it is
 * checked (so a short smoke run is checked like the file: checkpoints against episodes, say).
 * Throws ValidationError whose lines start with the file. The absolute paths of the experiment and
 * of every file it names are added to `read`. `stored`: the file is read for what it holds (its
 * environment to evaluate on, say), not launched, so rules newer than the file are not applied
 * (ParseOptions.stored).
 */
export function loadExperimentFile(path: string, read: string[] = [], overrides: ExperimentOverrides = {}, stored = false): Experiment {
  read.push(resolve(path));
  const file = readJsonFile(path);
  const raw = file !== null && typeof file === 'object' && !Array.isArray(file) ? { ...file, ...overrides } : file;
  return inFile(path, () => parseExperimentAt(raw, experimentFolder(path), read, stored));
}

/**
 * Runs a check of a file's content with each problem it finds prefixed by `label` (the file as the
 * user gave it), so that with several files (`aisle ope --target a.json --target b.json`) a
 * problem says which file it is in.
 */
export function inFile<T>(label: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.problems.map((p) => `${label}: ${p}`));
    throw e;
  }
}

/** Bytes of a large existing file read for its `format`, which Aisle writes first. */
const HEAD_BYTES = 64 * 1024;
/** A file this small is read whole when its head names no format (a hand-written experiment without one). */
const WHOLE_BYTES = 4 * 1024 * 1024;

/**
 * The kind of Aisle file at `path` (a regular file of `stats`), or undefined when it is none (or
 * cannot be read): `-o` refusing to replace another kind, `aisle results import` saying where one goes.
 */
export function aisleFileKind(path: string, stats: Stats): FileKind | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(stats.size <= WHOLE_BYTES ? stats.size : HEAD_BYTES);
    const length = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, length).toString('utf8');
    if (stats.size <= WHOLE_BYTES) return fileKind(JSON.parse(text.replace(/^\uFEFF/, '')) as unknown);
    // A large file by its first key (Aisle writes `format` first): a "format" further in may be a
    // nested one (a JSON Schema's example), not the file's.
    const format = /^\uFEFF?\s*\{\s*"format"\s*:\s*"(aisle\.[a-z]+\/v\d+)"/.exec(text);
    return format ? fileKind({ format: format[1] }) : undefined;
  } catch {
    return undefined; // not JSON, or not readable: no Aisle file to keep
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
