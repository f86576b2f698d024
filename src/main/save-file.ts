/**
 * The app's saves to a file the user picked (Export policy, Save chart, Metrics CSV, a results
 * file): written whole or not at all, as the CLI writes its outputs (src/cli/output-files.ts).
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { nameWithRoom } from './name-room';
import { removeDeadTemporaries } from './results/scratch';
import { syncFolder } from './sync-folder';

/**
 * Writes `content` (or its pieces, made as they are written) to `path` through a temporary beside
 * it, `<file>.<pid>.tmp`, synced to the disk, then renamed over it. Written into the file itself, a
 * crash or a kill mid-write (the app killed, a power cut, the run deleted while its CSV is made)
 * left half a file at the path, and the file the user chose to replace was gone. A file replaced
 * keeps its permissions, and a symlink is written through, so it stays a link. On a failure the
 * temporary is removed and the file at `path` is as it was.
 */
export async function saveFileWhole(path: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  const target = await throughLink(path);
  const before = await stat(target).catch(() => undefined);
  const mode = before?.isFile() ? before.mode & 0o7777 : 0o666;
  // Numbered per save: two saves to one file at once (a second Export while a 43 MB CSV is written)
  // shared `<file>.<pid>.tmp`, and each removed or renamed the other's half-written temporary.
  const suffix = `.${process.pid}.${++saves}.tmp`;
  const base = nameWithRoom(target, Buffer.byteLength(`.${process.pid}.0123456789.tmp`));
  const tmp = base + suffix;
  try {
    // Made new (O_EXCL, which follows no link): a leftover of a killed process of the same pid, or
    // a link planted at the guessable name, is removed first, itself and not what a link points to.
    await rm(tmp, { force: true });
    removeDeadTemporaries(base);
    let file;
    try {
      file = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    } catch (e) {
      // A folder the user may not add to, holding a file they may write (a shared folder's file):
      // saved into the file itself, as before saves went through a temporary, rather than refused.
      if (before?.isFile() && isPermission(e)) return await saveInPlace(target, content);
      throw e;
    }
    try {
      if (before?.isFile()) await file.chmod(mode); // open's mode is masked by the umask
      // On the disk before the rename makes it the file: a file system may commit the rename first
      // (ext4's delayed allocation), and a power loss then leaves the file empty.
      await writeSynced(file, content);
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    // Said of the file the user picked, not of a temporary they never saw: "ENOSPC: no space left
    // on device, write", "EACCES: permission denied, open '<their path>'".
    if (e instanceof Error) e.message = e.message.split(tmp).join(path);
    throw e;
  }
  try {
    syncFolder(dirname(target));
  } catch {
    // Saved: only its durability against a power cut is as the folder allows (one that cannot be read).
  }
}

/** Saves started in this process, numbering their temporaries. */
let saves = 0;

function isPermission(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** Writes `content` into the file at `target` itself (not whole against a crash: see saveFileWhole). */
async function saveInPlace(target: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  const file = await open(target, 'w');
  try {
    await writeSynced(file, content);
  } finally {
    await file.close();
  }
}

/**
 * Writes `content` to `file` and syncs it to the disk. Each piece is written (from where the last
 * one ended) before the next is made: a 1M-episode run's CSV (43 MB) is never held whole.
 */
async function writeSynced(file: FileHandle, content: string | Uint8Array | Iterable<string>): Promise<void> {
  if (typeof content === 'string' || content instanceof Uint8Array) await file.writeFile(content);
  else for (const piece of content) await file.writeFile(piece);
  await file.sync();
}

/**
 * The file a symlink at `path` leads to (its target, made if missing, as writing through the link
 * made it); else `path`.
 */
async function throughLink(path: string): Promise<string> {
  const entry = await lstat(path).catch(() => undefined);
  if (!entry?.isSymbolicLink()) return path;
  return realpath(path).catch(async () => resolve(dirname(path), await readlink(path)));
}
