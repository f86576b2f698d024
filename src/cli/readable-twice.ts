/**
 * A file a command reads more than once: a regular file as it is, checked unchanged after the last
 * read (a file rewritten in between would mix two files' rows); anything else (a pipe, /dev/stdin,
 * a process substitution) copied first, within the events' size limit, into a private temporary
 * file, since a second open of a pipe reads nothing ("the file is empty").
 */
import { createReadStream, createWriteStream, rmSync, statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidationError } from '../engine/params';
import { checkInputDescriptor } from '../main/descriptors';
import { fileTooLarge, socketInput } from '../main/files';
import { errorCode } from '../main/make-dir';
import { newScratchFolder } from '../main/results/scratch';
import { MAX_EVENTS_BYTES } from './calibrate-data';
import { statIfAny } from './context';

export interface ReadableTwice {
  /** The path to read, every time: the file given, or the copy of what a pipe gave. */
  readonly path: string;
  /** Throws a ValidationError when the file given changed since it was first looked at. */
  checkUnchanged(): void;
  /** Removes the copy, if one was made. */
  dispose(): void;
}

/**
 * `path` as a file to read more than once (see the header); `rereads` says in the message for a
 * changed file why it is read again ("calibration reads it twice"). A missing path or a folder is
 * passed through for the reader to name. `stop` throws once a signal came: checked as each chunk
 * of a pipe is copied, the copy then removed and its error thrown. `maxBytes` bounds the copy (the
 * reader's own limit: `aisle ope`'s logs are read to OPE_LOGS_BYTES).
 */
export async function readableTwice(path: string, label: string, rereads: string, stop?: () => void, maxBytes = MAX_EVENTS_BYTES): Promise<ReadableTwice> {
  checkInputDescriptor(path, label); // one of Node's own descriptors (/dev/fd/4, libuv's pipe) was copied forever
  // statIfAny: `logs.csv/` (ENOTDIR) was Node's raw error, exit 1; the reader names it.
  const stat = statIfAny(path);
  // Missing, a folder: the reader names it.
  if (!stat || stat.isFile() || stat.isDirectory()) {
    const same = (a: Stats | undefined, b: Stats | undefined) => !a || !b || (a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino);
    return {
      path,
      checkUnchanged() {
        if (!same(stat, statSync(path, { throwIfNoEntry: false }))) {
          throw new ValidationError([`${label}: the file changed while it was read (${rereads}): run again once nothing writes to it`]);
        }
      },
      dispose() {},
    };
  }
  // Named by this process, so that the next command removes it should this one be killed with it
  // (kill -9, a second Ctrl-C, which quits at once, run no handler): as large as the input, up to
  // 4 GB for `aisle ope`, it stayed there for good.
  const dir = newScratchFolder(tmpdir(), 'aisle-events-');
  const copy = join(dir, 'events.csv');
  let bytes = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        stop?.();
      } catch (e) {
        done(e as Error);
        return;
      }
      bytes += chunk.length;
      done(bytes > maxBytes ? fileTooLarge(label, maxBytes) : null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(path), capped, createWriteStream(copy, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    stop?.(); // stopped by a signal: its error, not "cannot read it"
    if (e instanceof ValidationError) throw e;
    if (errorCode(e) === 'ENXIO') throw socketInput(label);
    throw new ValidationError([`${label}: cannot read it (${e instanceof Error ? e.message : String(e)}): check the path and its permissions`]);
  }
  return { path: copy, checkUnchanged() {}, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
