/**
 * Writing a file whole or not at all, through a temporary beside it: the app's saves to a file the
 * user picked (Export policy, Save chart, Metrics CSV, a results file), saveFileWhole, and the
 * CLI's outputs (src/cli/output-files.ts), which make their temporaries with openTemporary.
 */
import { closeSync, constants, fchmodSync, fsync, ftruncateSync, openSync, readlinkSync, realpathSync, rmSync, statSync, writeFile, type Stats } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { nameWithRoom } from './name-room';
import { removeDeadTemporaries } from './results/scratch';
import { syncFolder } from './sync-folder';

/**
 * Writes `content` (or its pieces, made as they are written) to `path` through a temporary beside
 * it, `<file>.<pid>.<n>.tmp`, synced to the disk, then renamed over it. Written into the file
 * itself, a crash or a kill mid-write (the app killed, a power cut, the run deleted while its CSV
 * is made) left half a file at the path, and the file the user chose to replace was gone. A file
 * replaced keeps its permissions, and a symlink is written through, so it stays a link. On a
 * failure the temporary is removed and the file at `path` is as it was.
 */
export async function saveFileWhole(path: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  const target = savedPath(path);
  // Numbered per save: two saves to one file at once (a second Export while a 43 MB CSV is written)
  // shared `<file>.<pid>.tmp`, and each removed or renamed the other's half-written temporary.
  const tmp = temporaryName(target, { numbered: true });
  let temporary: Temporary | undefined;
  try {
    // A folder the user may not add to, holding a file they may write (a shared folder's file):
    // saved into the file itself, as before saves went through a temporary, rather than refused.
    temporary = openTemporary(target, tmp, { inPlace: true });
    try {
      // Each piece written before the next is made, awaited: the main process answers meanwhile.
      await writeSynced(temporary.fd, content, temporary.inPlace);
    } finally {
      closeSync(temporary.fd);
    }
    if (!temporary.inPlace) await rename(tmp.path, target);
  } catch (e) {
    if (!temporary?.inPlace) rmSync(tmp.path, { force: true });
    // Said of the file the user picked, not of a temporary they never saw: "ENOSPC: no space left
    // on device, write", "EACCES: permission denied, open '<their path>'".
    if (e instanceof Error) e.message = e.message.split(tmp.path).join(path);
    throw e;
  }
  if (temporary.inPlace) return;
  try {
    syncFolder(dirname(target));
  } catch {
    // Saved: only its durability against a power cut is as the folder allows (one that cannot be read).
  }
}

const writeInto = promisify(writeFile);
const syncToDisk = promisify(fsync);

/**
 * Writes `content` at `fd` (each piece from where the last one ended, so a 1M-episode run's CSV,
 * 43 MB, is never held whole) and syncs it to the disk: a file system may commit the rename first
 * (ext4's delayed allocation), and a power loss then leaves the file empty.
 */
async function writeSynced(fd: number, content: string | Uint8Array | Iterable<string>, cut = false): Promise<void> {
  const pieces = typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
  let bytes = 0;
  for (const piece of pieces) {
    await writeInto(fd, piece);
    bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
  }
  // A file written in place (see openTemporary) keeps what was past the new content's end until cut.
  if (cut) ftruncateSync(fd, bytes);
  await syncToDisk(fd);
}

/** Saves started in this process, numbering their temporaries. */
let saves = 0;

/** A temporary's name beside the file it becomes, and the name its suffix follows (see removeDeadTemporaries). */
export interface TemporaryName {
  readonly path: string;
  readonly base: string;
}

/**
 * The temporary for a write to `target`: `<file>.<pid>.tmp`, or `<file>.<pid>.<n>.tmp` when
 * `numbered` (the app, which may save to one file twice at once; a CLI command writes each of its
 * outputs once, by the name its tests and users have seen). The file's name is cut, at a
 * character, so that the whole fits in NAME_MAX bytes: a name the system takes (250 bytes: 83
 * Chinese characters) gave a temporary name it refused, ENAMETOOLONG.
 */
export function temporaryName(target: string, { numbered }: { numbered: boolean }): TemporaryName {
  const base = nameWithRoom(target, Buffer.byteLength(numbered ? `.${process.pid}.0123456789.tmp` : `.${process.pid}.tmp`));
  return { path: `${base}.${process.pid}${numbered ? `.${++saves}` : ''}.tmp`, base };
}

/** The file being written: its descriptor, and whether it is the file itself rather than the temporary. */
export interface Temporary {
  readonly fd: number;
  readonly inPlace: boolean;
}

/**
 * Makes the temporary `tmp` for `target` and opens it to be written; the temporaries processes now
 * gone left for `target` are removed. A file replaced keeps its permissions (a policy kept private
 * stays so): the rename would otherwise put a new file with default ones in its place. On a
 * failure nothing is left at `tmp`.
 *
 * `inPlace`: when the folder refuses the temporary (EACCES, EPERM) but `target` is a file, that
 * file is opened to be written instead (not whole against a crash). The app does so, as it saved
 * before saves went through a temporary; the CLI does not, as its outputs are renamed all or none
 * (an output written in place could not be put back) and its user can give another path at once.
 */
export function openTemporary(target: string, tmp: TemporaryName, { inPlace }: { inPlace: boolean }): Temporary {
  let before: Stats | undefined;
  try {
    before = statSync(target);
  } catch {
    // Not there (or not to be seen): made new, with the default permissions.
  }
  const mode = before?.isFile() ? before.mode & 0o7777 : 0o666;
  // Made new (O_EXCL, which follows no link): a leftover of a killed process of the same pid, or a
  // link planted at the guessable name to have another file overwritten, is removed first, itself
  // and not what a link points to.
  rmSync(tmp.path, { force: true });
  removeDeadTemporaries(tmp.base);
  let fd: number;
  try {
    fd = openSync(tmp.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (e) {
    // Opened without emptying it ('r+', cut to what was written at the end): opened 'w', a save
    // whose first piece failed (its run deleted while the dialog was open) left the file empty.
    if (inPlace && before?.isFile() && isPermission(e)) return { fd: openSync(target, 'r+'), inPlace: true };
    throw e;
  }
  try {
    if (before?.isFile()) fchmodSync(fd, mode); // open's mode is masked by the umask
  } catch (e) {
    closeSync(fd);
    rmSync(tmp.path, { force: true });
    throw e;
  }
  return { fd, inPlace: false };
}

function isPermission(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** Links followed before a path is taken as it stands (the kernel's own limit, ELOOP, is 40). */
const MAX_LINKS = 40;

/**
 * The path a name reaches, through symlinks as far as it exists (the file itself, else its nearest
 * existing folder), so that `dir/../x.json` and a link to x.json compare equal to x.json, and a
 * write through a link replaces its target, keeping the link. A link whose target does not exist
 * yet (current.json → v4.json before v4 is written) reaches its target, as the shell's `>` writes
 * through it: taken for a missing file, it was replaced by one.
 */
export function savedPath(file: string): string {
  const rest: string[] = [];
  let links = 0;
  for (let at = resolve(file); ; ) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      // Not there (or a dangling link): follow the link, else resolve its folder instead.
    }
    const target = linkTarget(at);
    if (target !== undefined) {
      // A loop of links (a → b → a) reaches no file: the path as given, the link itself, as before.
      if (++links > MAX_LINKS) return resolve(file);
      at = resolve(dirname(at), target);
      continue;
    }
    const parent = dirname(at);
    if (parent === at) return resolve(file);
    rest.unshift(basename(at));
    at = parent;
  }
}

/** What a symlink at `path` points to, as written in it; undefined when `path` is not a link. */
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
