/** File names cut to fit beside a suffix: a temporary's, a backup's, SQLite's files beside them. */
import { basename, dirname, join } from 'node:path';

/** The longest file name most file systems hold (ext4, XFS, APFS, NTFS: 255 bytes, or UTF-16 units). */
export const NAME_MAX = 255;

/**
 * `path` with its file name cut, at a character, so that `suffixBytes` more bytes after it still
 * fit in NAME_MAX: a file name the system takes (250 bytes: 83 Chinese characters) gave a
 * temporary name it refused, ENAMETOOLONG. A name that fits is kept whole.
 */
export function nameWithRoom(path: string, suffixBytes: number): string {
  const name = Array.from(basename(path));
  while (name.length > 1 && Buffer.byteLength(name.join('')) > NAME_MAX - suffixBytes) name.pop();
  return join(dirname(path), name.join(''));
}
