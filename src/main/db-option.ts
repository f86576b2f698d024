/**
 * The database a door was told to open: `--db` among the Electron app's arguments, or AISLE_DB, and
 * what is wrong with such a path before anything is made there. Shared by the Electron shell
 * (index.ts) and the CLI (cli/context.ts openStore), so both refuse a path alike.
 */
import { join } from 'node:path';
import { DB_FILE, resolveDbPath } from './store/paths';

/** `--db path` or `--db=path` among Electron's arguments. */
export function dbFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') return argv[i + 1];
    if (arg.startsWith('--db=')) return arg.slice('--db='.length);
  }
  return undefined;
}

/**
 * Whether a path as given ends in a separator (`out/`, `lab/`), so names a folder even before one is
 * made there: path.resolve drops the separator, and a file would be written in its place.
 */
export function namesFolder(path: string): boolean {
  return (process.platform === 'win32' ? /[\\/]$/ : /\/$/).test(path);
}

/**
 * `--db lab/` (a folder not made yet) as one line naming where it came from (`--db`, `AISLE_DB`) and
 * the file to give instead; undefined for a path that names a file. path.resolve drops the slash,
 * and a database file named `lab` was made and trained into.
 */
export function dbFolderProblem(source: string, given: string): string | undefined {
  if (given.trim() === '' || !namesFolder(given)) return undefined;
  const file = resolveDbPath({ flag: given });
  return `${source}: ${file}${given.slice(-1)} ends in "${given.slice(-1)}", so it names a folder: give the path of a database file in it, e.g. --db ${join(file, DB_FILE)}`;
}

/** A database path the user gave that cannot be one: refused before anything is opened or made. */
export class DatabaseOptionError extends Error {
  override readonly name = 'DatabaseOptionError';
}

/**
 * The database the Electron app opens: `--db` (or `--db=`), else AISLE_DB, else `defaultPath` (in
 * the app's userData folder), resolved; with `problem` when the path given names a folder, which the
 * app refuses before anything is opened or made (DatabaseOptionError).
 */
export function appDatabase(argv: readonly string[], env: NodeJS.ProcessEnv, defaultPath: () => string): { path: string; problem?: string } {
  const flag = dbFlag(argv);
  const given = flag || env.AISLE_DB;
  if (!given) return { path: defaultPath() };
  const path = resolveDbPath({ flag, env });
  const problem = dbFolderProblem(flag ? '--db' : 'AISLE_DB', given);
  return problem === undefined ? { path } : { path, problem };
}
