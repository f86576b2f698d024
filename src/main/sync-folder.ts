/**
 * Making a rename durable: a file renamed into place (an output file, a results file) is on the
 * disk only once its folder's entries are synced, as POSIX leaves a rename in the page cache until
 * then; a power loss could otherwise bring back the old file, or none.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { errorCode } from './make-dir';

/**
 * The system errors of a folder that cannot be synced, as some platforms and file systems answer
 * (Windows opens no folder as a file, EISDIR or EPERM; some file systems refuse fsync on one,
 * EINVAL): its renames then are as durable as that system makes them.
 */
const UNSYNCABLE_FOLDER = new Set(['EINVAL', 'EPERM', 'EISDIR', 'EBADF', 'ENOTSUP']);

/**
 * Syncs a folder's entries to the disk: the renames into it survive a power loss (POSIX leaves a
 * rename in the page cache until its folder is synced).
 */
export function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch (e) {
    if (UNSYNCABLE_FOLDER.has(errorCode(e) ?? '')) return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    if (!UNSYNCABLE_FOLDER.has(errorCode(e) ?? '')) throw e;
  } finally {
    closeSync(fd);
  }
}
