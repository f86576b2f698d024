// The options of `npm start` (scripts/start.mjs), read before anything is built or started: --db
// goes to both doors, --port, --host and --open/--no-open to the browser mode. A contradiction or a
// repeat is refused as `aisle` refuses it (src/cli/index.ts refuseRepeats): the last one no longer
// wins in silence.
import { isAbsolute, join, sep } from 'node:path';

export const START_USAGE = 'usage: npm start -- [--db path] [--port N] [--host address] [--open | --no-open]';

/** Refused options: the message, for `npm start: <message>` and the usage line, exit 2. */
export class StartUsageError extends Error {
  name = 'StartUsageError';
}

/** `argv` (after `npm start --`) as { db, port, host, open }; throws StartUsageError. */
export function parseStartOptions(argv) {
  const opts = { db: undefined, port: undefined, host: undefined, open: undefined };
  let openFlag;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--open' || flag === '--no-open') {
      if (openFlag !== undefined && openFlag !== flag) throw new StartUsageError('--open and --no-open contradict each other: give one of them');
      openFlag = flag;
      opts.open = flag === '--open';
      continue;
    }
    if (!['--db', '--port', '--host'].includes(flag)) throw new StartUsageError(`unknown option ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new StartUsageError(`${flag} needs a value`);
    const key = flag.slice(2);
    if (opts[key] !== undefined) throw new StartUsageError(`${flag} is given twice (${opts[key]} and ${value}): give it once`);
    opts[key] = value;
  }
  return opts;
}

/**
 * A database path as the user meant it: npm runs `npm start` in the project's folder, not the one the
 * command was typed in (npm gives that as INIT_CWD), so a relative --db or AISLE_DB named a file
 * beside package.json. Resolved against `base`, keeping a trailing separator, by which the app
 * refuses a folder (`--db runs/`) rather than creating a file named after it. Undefined and absolute
 * paths are returned as they are.
 */
export function databasePath(path, base) {
  if (path === undefined || path === '' || isAbsolute(path)) return path;
  const trailing = path.endsWith('/') || path.endsWith(sep);
  const joined = join(base, path);
  return trailing && !joined.endsWith(sep) ? joined + sep : joined;
}
