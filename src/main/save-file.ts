/**
 * The app's saves to a file the user picked (Export policy, Save chart, Metrics CSV, a results
 * file): written whole or not at all, as the CLI writes its outputs (src/cli/output-files.ts).
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
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
  const suffix = `.${process.pid}.tmp`;
  const base = nameWithRoom(target, Buffer.byteLength(suffix));
  const tmp = base + suffix;
  try {
    // Made new (O_EXCL, which follows no link): a leftover of a killed process of the same pid, or
    // a link planted at the guessable name, is removed first, itself and not what a link points to.
    await rm(tmp, { force: true });
    removeDeadTemporaries(base);
    const file = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      if (before?.isFile()) await file.chmod(mode); // open's mode is masked by the umask
      if (typeof content === 'string' || content instanceof Uint8Array) await file.writeFile(content);
      // Each piece written (from where the last one ended) before the next is made: a 1M-episode
      // run's CSV (43 MB) is never held whole.
      else for (const piece of content) await file.writeFile(piece);
      // On the disk before the rename makes it the file: a file system may commit the rename first
      // (ext4's delayed allocation), and a power loss then leaves the file empty.
      await file.sync();
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

/**
 * The file a symlink at `path` leads to (its target, made if missing, as writing through the link
 * made it); else `path`.
 */
async function throughLink(path: string): Promise<string> {
  const entry = await lstat(path).catch(() => undefined);
  if (!entry?.isSymbolicLink()) return path;
  return realpath(path).catch(async () => resolve(dirname(path), await readlink(path)));
}
